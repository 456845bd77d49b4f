// Everything that decides who may call and what a request may cost, assembled
// for createApp: yoga options plus plugins, in the order they must run.
import type { CORSOptions, GraphiQLOptions, Plugin } from 'graphql-yoga';
import { useAuth, type AuthOptions } from './auth.js';
import { corsOptions, graphiqlSecurity, useCsrfPrevention } from './browser.js';
import { useBodyLimit, useOperationLimits, type LimitOptions } from './limits.js';
import { useNoIntrospection, usePersistedOperationsOnly, type PersistedOperations } from './production.js';
import { useCallerRateLimit } from './rateLimit.js';
import { useRequestParseErrors } from './requestParsing.js';
import { useUpstreamCallLimit } from './upstreamCalls.js';

export interface SecurityOptions {
  auth: AuthOptions;
  limits: LimitOptions;
  /** Requests per second per caller; 0 is off. */
  callerRateLimit: number;
  corsOrigins: string[];
  /** NODE_ENV=production: no cross-origin access unless allowed, and the defaults below. */
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  persistedOperations: PersistedOperations | null;
}

/** Defaults that fit this schema: every shipped example and dashboard of 100 jobs fits with room to spare. */
export const DEFAULT_LIMITS: LimitOptions = {
  maxDepth: 12,
  maxAliases: 20,
  maxTokens: 1000,
  maxDirectives: 10,
  maxUpstreamCalls: 100,
  maxBodyBytes: 100_000,
};

/** Development on loopback, as `npm start` runs without configuration. */
export const DEFAULT_SECURITY: SecurityOptions = {
  auth: { mode: 'none' },
  limits: DEFAULT_LIMITS,
  callerRateLimit: 0,
  corsOrigins: [],
  production: false,
  graphiql: true,
  introspection: true,
  persistedOperations: null,
};

export interface SecuredYoga {
  cors: CORSOptions | false | undefined;
  graphiql: GraphiQLOptions | false;
  renderGraphiQL: (options: GraphiQLOptions) => Promise<string>;
  maxRequestBodySize: number;
  /** One operation per request: batches are refused with 400. */
  batching: false;
  /** No uploads here; a multipart body is refused instead of parsed. */
  multipart: false;
  plugins: Plugin[];
}

export function secureYoga(security: SecurityOptions, graphiql: GraphiQLOptions): SecuredYoga {
  const page = graphiqlSecurity();
  return {
    cors: corsOptions(security.corsOrigins, security.production),
    graphiql: security.graphiql ? graphiql : false,
    renderGraphiQL: page.render,
    maxRequestBodySize: security.limits.maxBodyBytes,
    batching: false,
    multipart: false,
    plugins: [
      page.headers,
      useRequestParseErrors(security.limits.maxBodyBytes),
      useCsrfPrevention(),
      ...useAuth(security.auth),
      useCallerRateLimit({ perSecond: security.callerRateLimit }),
      useBodyLimit(security.limits.maxBodyBytes),
      ...(security.persistedOperations ? usePersistedOperationsOnly(security.persistedOperations) : []),
      ...(security.introspection ? [] : useNoIntrospection()),
      ...useOperationLimits(security.limits),
      useUpstreamCallLimit(security.limits.maxUpstreamCalls),
    ],
  };
}
