// Configuration from the environment, validated once at start. Every bad value
// is named in one message; the caller prints it and exits 1.
import { z } from 'zod';
import { REDIS_DEFAULTS, type RedisSettings } from './cluster/clusterState.js';
import { LIVE_DEFAULTS, MIN_POLL_MS, type LiveSettings } from './live/liveJobs.js';
import { DEFAULT_MAX_REPRESENTATIONS } from './schema/entities.js';
import { loadPersistedOperations } from './security/persistedOperations.js';
import {
  DEFAULT_LIMITS,
  securityPolicy,
  securityProblems,
  type EnvReader,
  type SecurityOptions,
} from './security/policy.js';
import { CLIENT_DEFAULTS, type ResilienceSettings } from './upstream/client.js';
import { PAGE_CACHE_DEFAULTS, type PageCacheOptions } from './upstream/pageCache.js';
import type { Credentials } from './upstream/signer.js';

export interface Config {
  port: number;
  host: string;
  /** Null: no AK/SK configured, so main starts the embedded simulator. */
  upstream: UpstreamConfig | null;
  upstreamTimeoutMs: number;
  upstreamConcurrency: number;
  nodeEnv: string;
  resilience: ResilienceSettings;
  pageCache: PageCacheOptions;
  /** Most representations one federation `_entities` call may carry. */
  entitiesMaxRepresentations: number;
  /** Who may call, what a request may cost, browser and production safety. */
  security: SecurityOptions;
  logLevel: LogLevel;
  /** Null: /metrics is served on the public port. */
  metricsPort: number | null;
  shutdownTimeoutMs: number;
  /** Null: tracing is off and its packages are never loaded. */
  otlpEndpoint: string | null;
  /** Null: no REDIS_URL, so rate limits, guard and caches stay in this process. */
  redis: RedisSettings | null;
  /** Polling, limits and lifetime of subscriptions. */
  subscriptions: LiveSettings;
  /** Caps on WebSocket connections. */
  webSocket: { maxConnections: number; maxConnectionsPerCaller: number };
  /** How long a client may take to send a request, and to reuse an idle connection. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface UpstreamConfig {
  endpoint: string;
  projectId: string;
  credentials: Credentials;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const int = (min: number, max: number, fallback: number) => wholeNumber(min, max).default(fallback);

/** What is wrong with an endpoint URL that parses, or null. */
function endpointProblem(value: string): string | null {
  // Not a URL at all is the url check's to report.
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  // Credentials in the URL would be printed in the startup line; ours go in CLOUD_SDK_*.
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.search || url.hash) return 'must not have a query or fragment';
  try {
    decodeURIComponent(url.pathname);
  } catch {
    return 'has a path that is not valid percent-encoding';
  }
  return null;
}

/** A share such as 0.5: more than 0, at most 1. */
const share = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^(?:0|1)?(?:\.\d+)?$|^1$/, 'must be a number above 0 and at most 1, e.g. 0.5')
    .transform(Number)
    .pipe(z.number().gt(0, 'must be above 0').max(1, 'must be at most 1'))
    .default(fallback);

/** What is wrong with a Redis URL that parses, or null. */
function redisUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const { pathname, search, hash } = new URL(value);
  if (!/^(\/\d*)?$/.test(pathname)) return 'must name the database as a number, e.g. redis://127.0.0.1:6379/0';
  if (search || hash) return 'must not have a query or fragment';
  return null;
}

const nonEmpty = z.string().trim().min(1, 'must not be empty').optional();
const bool = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((value) => value === 'true')
  .optional();

/** An origin as browsers send it: http(s), a host, maybe a port, nothing else. */
function isOrigin(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
}

const envSchema = z.object({
  PORT: int(0, 65535, 4000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  CLOUD_SDK_AK: nonEmpty,
  CLOUD_SDK_SK: nonEmpty,
  CLOUD_SDK_SECURITY_TOKEN: nonEmpty,
  METASTUDIO_PROJECT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_" (a Huawei Cloud project id)')
    .optional(),
  METASTUDIO_REGION: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like a region id, e.g. cn-north-4')
    .default('cn-north-4'),
  METASTUDIO_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:9000' })
    .superRefine((value, ctx) => {
      const problem = endpointProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  UPSTREAM_TIMEOUT_MS: int(1, 600_000, CLIENT_DEFAULTS.timeoutMs),
  UPSTREAM_CONCURRENCY: int(1, 256, CLIENT_DEFAULTS.concurrency),
  UPSTREAM_RETRIES: int(0, 10, CLIENT_DEFAULTS.retries),
  UPSTREAM_DEADLINE_MS: int(1, 600_000, CLIENT_DEFAULTS.deadlineMs),
  UPSTREAM_RATE_LIMIT: int(0, 10_000, CLIENT_DEFAULTS.rateLimit),
  UPSTREAM_QUEUE_TIMEOUT_MS: int(0, 600_000, CLIENT_DEFAULTS.queueTimeoutMs),
  BREAKER_THRESHOLD: int(1, 10_000, CLIENT_DEFAULTS.breakerThreshold),
  BREAKER_COOLDOWN_MS: int(1, 3_600_000, CLIENT_DEFAULTS.breakerCooldownMs),
  UPSTREAM_CACHE_TTL_MS: int(0, 3_600_000, PAGE_CACHE_DEFAULTS.ttlMs),
  UPSTREAM_CACHE_MAX_ENTRIES: int(1, 10_000_000, PAGE_CACHE_DEFAULTS.maxEntries),
  UPSTREAM_CACHE_MAX_BYTES: int(1024, 2 ** 40, PAGE_CACHE_DEFAULTS.maxBytes),
  NODE_ENV: z.string().default('development'),
  ENTITIES_MAX_REPRESENTATIONS: int(1, 100_000, DEFAULT_MAX_REPRESENTATIONS),
  // Security: who may call, what a request may cost, browser and production safety.
  AUTH_MODE: z.enum(['none', 'jwt', 'apikey'], { error: 'must be none, jwt or apikey' }).default('none'),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (an HS256 key of 256 bits)').optional(),
  AUTH_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  AUTH_JWT_ISSUER: nonEmpty,
  AUTH_JWT_AUDIENCE: nonEmpty,
  AUTH_API_KEYS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((digest) => digest.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[0-9a-f]{64}$/, 'must be SHA-256 hex digests (64 hex digits each), comma-separated'))
        .min(1),
    )
    .optional(),
  ALLOW_UNAUTHENTICATED: bool,
  MAX_DEPTH: int(1, 1000, DEFAULT_LIMITS.maxDepth),
  MAX_ALIASES: int(0, 10_000, DEFAULT_LIMITS.maxAliases),
  MAX_TOKENS: int(10, 1_000_000, DEFAULT_LIMITS.maxTokens),
  MAX_DIRECTIVES: int(0, 10_000, DEFAULT_LIMITS.maxDirectives),
  MAX_UPSTREAM_CALLS: int(1, 100_000, DEFAULT_LIMITS.maxUpstreamCalls),
  MAX_BODY_BYTES: int(1024, 100_000_000, DEFAULT_LIMITS.maxBodyBytes),
  CALLER_RATE_LIMIT: int(0, 1_000_000, 0),
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .refine(
            isOrigin,
            'must be origins such as https://app.example.com (scheme, host, optional port), comma-separated',
          ),
      ),
    )
    .optional(),
  GRAPHIQL: bool,
  INTROSPECTION: bool,
  PERSISTED_OPERATIONS_FILE: nonEmpty,
  // Operating: logs, metrics, shutdown, tracing.
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  METRICS_PORT: wholeNumber(0, 65535).optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000),
  // Subscriptions: polling MetaStudio for what is new, within limits.
  SUBSCRIPTION_POLL_MS: int(MIN_POLL_MS, 3_600_000, LIVE_DEFAULTS.pollMs),
  SUBSCRIPTION_POLL_MAX_MS: int(MIN_POLL_MS, 86_400_000, LIVE_DEFAULTS.pollMaxMs),
  SUBSCRIPTION_UPSTREAM_SHARE: share(LIVE_DEFAULTS.upstreamShare),
  SUBSCRIPTION_MAX_FAILURES: int(1, 1_000, LIVE_DEFAULTS.maxFailures),
  SUBSCRIPTION_MAX_PER_CALLER: int(1, 100_000, LIVE_DEFAULTS.maxPerCaller),
  SUBSCRIPTION_MAX_JOBS: int(1, 1_000_000, LIVE_DEFAULTS.maxJobs),
  // The longest wait a Node timer holds (about 24.8 days).
  SUBSCRIPTION_MAX_DURATION_MS: int(1_000, 2_147_483_647, LIVE_DEFAULTS.maxDurationMs),
  // Sockets: WebSocket connections, and the timeouts of plain HTTP connections.
  WS_MAX_CONNECTIONS: int(1, 1_000_000, 1_000),
  WS_MAX_CONNECTIONS_PER_CALLER: int(1, 1_000_000, LIVE_DEFAULTS.maxPerCaller),
  HTTP_HEADERS_TIMEOUT_MS: int(1_000, 600_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: int(1_000, 3_600_000, 30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1, 600_000, 65_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' })
    .optional(),
  // Scaling out: state shared by every replica through Redis or Valkey.
  REDIS_URL: z
    .url({
      protocol: /^rediss?$/,
      error: 'must be a redis:// or rediss:// URL, e.g. redis://:password@127.0.0.1:6379/0',
    })
    .superRefine((value, ctx) => {
      const problem = redisUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\x21-\x7e]{1,64}$/, 'must be 1 to 64 printable ASCII characters without spaces')
    .default(REDIS_DEFAULTS.keyPrefix),
  REDIS_TIMEOUT_MS: int(1, 60_000, REDIS_DEFAULTS.timeoutMs),
});

export type Env = z.infer<typeof envSchema>;

/** The official samples use CLOUD_SDK_*; the SDKs' own env loader uses HUAWEICLOUD_SDK_*. */
const ALIASES: Record<string, string> = {
  HUAWEICLOUD_SDK_AK: 'CLOUD_SDK_AK',
  HUAWEICLOUD_SDK_SK: 'CLOUD_SDK_SK',
  HUAWEICLOUD_SDK_SECURITY_TOKEN: 'CLOUD_SDK_SECURITY_TOKEN',
  HUAWEICLOUD_SDK_PROJECT_ID: 'METASTUDIO_PROJECT_ID',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    // An empty variable counts as unset, as shells and .env files tend to produce them.
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  for (const [alias, key] of Object.entries(ALIASES)) {
    const value = env[alias];
    if (input[key] === undefined && value !== undefined && value !== '') input[key] = value;
  }

  // Never echo the input in a problem: it may be a secret.
  const parsed = envSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  const isSet = (key: keyof Env) => input[key] !== undefined;
  const realUpstream = isSet('CLOUD_SDK_AK') && isSet('CLOUD_SDK_SK');
  if (isSet('CLOUD_SDK_AK') !== isSet('CLOUD_SDK_SK')) {
    problems.push('CLOUD_SDK_AK and CLOUD_SDK_SK must be set together (or neither, for the simulator)');
  }
  if (realUpstream && !isSet('METASTUDIO_PROJECT_ID')) {
    problems.push('METASTUDIO_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID) is required with real credentials');
  }
  if (!isSet('CLOUD_SDK_AK') && !isSet('CLOUD_SDK_SK')) {
    // Someone who set these meant a real upstream: starting the simulator instead would hide the mistake.
    for (const key of ['CLOUD_SDK_SECURITY_TOKEN', 'METASTUDIO_PROJECT_ID', 'METASTUDIO_ENDPOINT'] as const) {
      if (isSet(key))
        problems.push(
          `${key} is set but CLOUD_SDK_AK and CLOUD_SDK_SK are not: set them too, or unset ${key} to use the simulator`,
        );
    }
  }
  if (!isSet('REDIS_URL')) {
    for (const key of ['REDIS_KEY_PREFIX', 'REDIS_TIMEOUT_MS'] as const) {
      if (isSet(key))
        problems.push(
          `${key} is set but REDIS_URL is not: set REDIS_URL to share state through Redis, or unset ${key}`,
        );
    }
  }
  if (parsed.success && parsed.data.UPSTREAM_DEADLINE_MS < parsed.data.UPSTREAM_TIMEOUT_MS) {
    problems.push('UPSTREAM_DEADLINE_MS must be at least UPSTREAM_TIMEOUT_MS: the deadline covers every attempt');
  }
  if (parsed.success && parsed.data.SUBSCRIPTION_POLL_MAX_MS < parsed.data.SUBSCRIPTION_POLL_MS) {
    problems.push(
      'SUBSCRIPTION_POLL_MAX_MS must be at least SUBSCRIPTION_POLL_MS: polls back off from one to the other',
    );
  }
  if (parsed.success && parsed.data.HTTP_REQUEST_TIMEOUT_MS < parsed.data.HTTP_HEADERS_TIMEOUT_MS) {
    problems.push('HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS: the request includes its headers');
  }
  const read: EnvReader['read'] = (key) => {
    const setting = (envSchema.shape[key] as z.ZodType).safeParse(input[key]);
    return setting.success ? (setting.data as Env[typeof key]) : undefined;
  };
  problems.push(...securityProblems({ isSet, read, realUpstream }));
  const persisted = input.PERSISTED_OPERATIONS_FILE
    ? loadPersistedOperations(input.PERSISTED_OPERATIONS_FILE.trim())
    : null;
  if (persisted && 'problems' in persisted) problems.push(...persisted.problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  // With no problems, real credentials come with a project id.
  const upstream: UpstreamConfig | null = realUpstream
    ? {
        endpoint: e.METASTUDIO_ENDPOINT ?? `https://metastudio.${e.METASTUDIO_REGION}.myhuaweicloud.com`,
        projectId: e.METASTUDIO_PROJECT_ID!,
        credentials: {
          accessKey: e.CLOUD_SDK_AK!,
          secretKey: e.CLOUD_SDK_SK!,
          securityToken: e.CLOUD_SDK_SECURITY_TOKEN,
        },
      }
    : null;

  return {
    port: e.PORT,
    host: e.HOST,
    upstream,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    upstreamConcurrency: e.UPSTREAM_CONCURRENCY,
    nodeEnv: e.NODE_ENV,
    resilience: {
      retries: e.UPSTREAM_RETRIES,
      deadlineMs: e.UPSTREAM_DEADLINE_MS,
      rateLimit: e.UPSTREAM_RATE_LIMIT,
      queueTimeoutMs: e.UPSTREAM_QUEUE_TIMEOUT_MS,
      breakerThreshold: e.BREAKER_THRESHOLD,
      breakerCooldownMs: e.BREAKER_COOLDOWN_MS,
    },
    pageCache: {
      ttlMs: e.UPSTREAM_CACHE_TTL_MS,
      maxEntries: e.UPSTREAM_CACHE_MAX_ENTRIES,
      maxBytes: e.UPSTREAM_CACHE_MAX_BYTES,
    },
    entitiesMaxRepresentations: e.ENTITIES_MAX_REPRESENTATIONS,
    security: securityPolicy(e, persisted && 'operations' in persisted ? persisted.operations : null),
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT ?? null,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    redis: e.REDIS_URL ? { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, timeoutMs: e.REDIS_TIMEOUT_MS } : null,
    subscriptions: {
      pollMs: e.SUBSCRIPTION_POLL_MS,
      pollMaxMs: e.SUBSCRIPTION_POLL_MAX_MS,
      upstreamShare: e.SUBSCRIPTION_UPSTREAM_SHARE,
      maxFailures: e.SUBSCRIPTION_MAX_FAILURES,
      maxPerCaller: e.SUBSCRIPTION_MAX_PER_CALLER,
      maxJobs: e.SUBSCRIPTION_MAX_JOBS,
      maxDurationMs: e.SUBSCRIPTION_MAX_DURATION_MS,
    },
    webSocket: { maxConnections: e.WS_MAX_CONNECTIONS, maxConnectionsPerCaller: e.WS_MAX_CONNECTIONS_PER_CALLER },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  };
}
