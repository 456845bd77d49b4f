// The security policy: who may call, what a request may cost, browser and
// production safety. Its defaults, and how it is read from the settings that
// config.ts has parsed from the environment.
import { isIP } from 'node:net';
import type { PersistedOperations } from './persistedOperations.js';
import type { AuthOptions } from './useAuth.js';

/** One AUTH_API_KEYS entry: a key's SHA-256 hex digest and, when bound, its app user id or `*` (every job). */
export interface ApiKeyEntry {
  digest: string;
  binding?: string;
}

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
  /** SHA-256 hex digests, each maybe bound to an app user id or `*`. */
  AUTH_API_KEYS?: ApiKeyEntry[];
  AUTH_APP_USER_CLAIM?: string;
  AUTH_ALL_JOBS_SCOPE?: string;
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
  if (isSet('AUTH_ALL_JOBS_SCOPE') && !isSet('AUTH_APP_USER_CLAIM')) {
    // Without scoping every caller reads every job already: the setting would mean nothing.
    problems.push('AUTH_ALL_JOBS_SCOPE is set but AUTH_APP_USER_CLAIM is not: set the claim to turn scoping on');
  }
  const modeOf = {
    AUTH_JWT_SECRET: 'jwt',
    AUTH_JWKS_URL: 'jwt',
    AUTH_JWT_ISSUER: 'jwt',
    AUTH_JWT_AUDIENCE: 'jwt',
    AUTH_APP_USER_CLAIM: 'jwt',
    AUTH_ALL_JOBS_SCOPE: 'jwt',
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

/** Every key, and with scoping on (config.ts has checked every entry is bound) whom each reads for. */
function apiKeyAuth(entries: ApiKeyEntry[]): AuthOptions {
  const bound = entries.filter((entry): entry is Required<ApiKeyEntry> => entry.binding !== undefined);
  return {
    mode: 'apikey',
    keyDigests: entries.map((entry) => entry.digest),
    ...(bound.length > 0 ? { bindings: new Map(bound.map((entry) => [entry.digest, entry.binding])) } : {}),
  };
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
          appUserClaim: e.AUTH_APP_USER_CLAIM,
          allJobsScope: e.AUTH_ALL_JOBS_SCOPE,
        }
      : e.AUTH_MODE === 'apikey'
        ? apiKeyAuth(e.AUTH_API_KEYS ?? [])
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
