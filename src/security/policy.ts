// The security policy: who may call, what a request may cost, browser and
// production safety. Its defaults, and how it is read from the settings that
// config.ts has parsed from the environment.
import { isIP } from 'node:net';
import type { PersistedOperations } from './persistedOperations.js';
import type { AuthOptions } from './useAuth.js';

export interface LimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxUpstreamCalls: number;
  maxBodyBytes: number;
}

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

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || /^::ffff:127\./i.test(host);
}

/** The settings the policy is read from, as config.ts parses them from the environment (its Env has them all). */
export interface SecuritySettings {
  NODE_ENV: string;
  HOST: string;
  AUTH_MODE: 'none' | 'jwt' | 'apikey';
  AUTH_JWT_SECRET?: string;
  AUTH_JWKS_URL?: string;
  AUTH_JWT_ISSUER?: string;
  AUTH_JWT_AUDIENCE?: string;
  /** SHA-256 hex digests. */
  AUTH_API_KEYS?: string[];
  ALLOW_UNAUTHENTICATED?: boolean;
  MAX_DEPTH: number;
  MAX_ALIASES: number;
  MAX_TOKENS: number;
  MAX_DIRECTIVES: number;
  MAX_UPSTREAM_CALLS: number;
  MAX_BODY_BYTES: number;
  CALLER_RATE_LIMIT: number;
  CORS_ORIGINS?: string[];
  GRAPHIQL?: boolean;
  INTROSPECTION?: boolean;
}

export interface EnvReader {
  /** Whether the variable is set at all, valid or not. */
  isSet(key: keyof SecuritySettings): boolean;
  /** The setting as the schema reads it, default included; undefined when it is invalid (a problem already). */
  read<K extends keyof SecuritySettings>(key: K): SecuritySettings[K] | undefined;
  /** CLOUD_SDK_AK and CLOUD_SDK_SK are both set: the server serves a real tenant's data. */
  realUpstream: boolean;
}

/** Settings that contradict each other, and serving a real tenant's data to anyone who asks. */
export function securityProblems({ isSet, read, realUpstream }: EnvReader): string[] {
  const problems: string[] = [];
  const mode = read('AUTH_MODE');
  const jwtSources = (['AUTH_JWT_SECRET', 'AUTH_JWKS_URL'] as const).filter(isSet);
  if (mode === 'jwt' && jwtSources.length !== 1) {
    problems.push('AUTH_MODE=jwt needs exactly one of AUTH_JWT_SECRET (HS256) and AUTH_JWKS_URL (RS256/ES256)');
  }
  if (mode === 'apikey' && !isSet('AUTH_API_KEYS')) problems.push('AUTH_MODE=apikey needs AUTH_API_KEYS');
  const modeOf = {
    AUTH_JWT_SECRET: 'jwt',
    AUTH_JWKS_URL: 'jwt',
    AUTH_JWT_ISSUER: 'jwt',
    AUTH_JWT_AUDIENCE: 'jwt',
    AUTH_API_KEYS: 'apikey',
  } as const;
  for (const [key, needed] of Object.entries(modeOf) as [keyof typeof modeOf, string][]) {
    // Someone who set these meant that mode: serving without it would hide the mistake.
    if (isSet(key) && mode !== needed) problems.push(`${key} is set but AUTH_MODE is not ${needed}`);
  }
  const host = read('HOST');
  if (
    realUpstream &&
    host !== undefined &&
    !isLoopback(host) &&
    mode === 'none' &&
    read('ALLOW_UNAUTHENTICATED') !== true
  ) {
    problems.push(
      `Refusing to serve MetaStudio data on HOST=${host} to unauthenticated callers: set AUTH_MODE=jwt or AUTH_MODE=apikey, ` +
        'or ALLOW_UNAUTHENTICATED=true if something in front of this server authenticates them',
    );
  }
  return problems;
}

/** The policy the environment asks for. */
export function securityPolicy(e: SecuritySettings, persistedOperations: PersistedOperations | null): SecurityOptions {
  const production = e.NODE_ENV === 'production';
  const auth: AuthOptions =
    e.AUTH_MODE === 'jwt'
      ? {
          mode: 'jwt',
          secret: e.AUTH_JWT_SECRET,
          jwksUrl: e.AUTH_JWKS_URL,
          issuer: e.AUTH_JWT_ISSUER,
          audience: e.AUTH_JWT_AUDIENCE,
        }
      : e.AUTH_MODE === 'apikey'
        ? { mode: 'apikey', keyDigests: e.AUTH_API_KEYS ?? [] }
        : { mode: 'none' };
  return {
    auth,
    limits: {
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxUpstreamCalls: e.MAX_UPSTREAM_CALLS,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
    callerRateLimit: e.CALLER_RATE_LIMIT,
    corsOrigins: e.CORS_ORIGINS ?? [],
    production,
    graphiql: e.GRAPHIQL ?? !production,
    introspection: e.INTROSPECTION ?? !production,
    persistedOperations,
  };
}
