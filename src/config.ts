// Configuration from the environment, validated once at start. Every bad value
// is named in one message; the caller prints it and exits 1.
import { z } from 'zod';
import type { Credentials } from './upstream/signer.js';

export interface Config {
  port: number;
  host: string;
  /** Null: no AK/SK configured, so main starts the embedded simulator. */
  upstream: UpstreamConfig | null;
  upstreamTimeoutMs: number;
  upstreamConcurrency: number;
  nodeEnv: string;

  // Operating: logs, metrics, shutdown, tracing.
  logLevel: LogLevel;
  /** Null: /metrics is served on the public port. */
  metricsPort: number | null;
  shutdownTimeoutMs: number;
  /** Null: tracing is off and its packages are never loaded. */
  otlpEndpoint: string | null;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
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

const nonEmpty = z.string().trim().min(1, 'must not be empty').optional();

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
  UPSTREAM_TIMEOUT_MS: int(1, 600_000, 10_000),
  UPSTREAM_CONCURRENCY: int(1, 256, 8),
  NODE_ENV: z.string().default('development'),

  // Operating: logs, metrics, shutdown, tracing.
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  METRICS_PORT: wholeNumber(0, 65535).optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000, 10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' }).optional(),
});

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
  const has = (key: string) => input[key] !== undefined;
  if (has('CLOUD_SDK_AK') !== has('CLOUD_SDK_SK')) {
    problems.push('CLOUD_SDK_AK and CLOUD_SDK_SK must be set together (or neither, for the simulator)');
  }
  if (has('CLOUD_SDK_AK') && has('CLOUD_SDK_SK') && !has('METASTUDIO_PROJECT_ID')) {
    problems.push('METASTUDIO_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID) is required with real credentials');
  }
  if (!has('CLOUD_SDK_AK') && !has('CLOUD_SDK_SK')) {
    // Someone who set these meant a real upstream: starting the simulator instead would hide the mistake.
    for (const key of ['CLOUD_SDK_SECURITY_TOKEN', 'METASTUDIO_PROJECT_ID', 'METASTUDIO_ENDPOINT']) {
      if (has(key)) problems.push(`${key} is set but CLOUD_SDK_AK and CLOUD_SDK_SK are not: set them too, or unset ${key} to use the simulator`);
    }
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  const upstream: UpstreamConfig | null =
    e.CLOUD_SDK_AK && e.CLOUD_SDK_SK && e.METASTUDIO_PROJECT_ID
      ? {
          endpoint: e.METASTUDIO_ENDPOINT ?? `https://metastudio.${e.METASTUDIO_REGION}.myhuaweicloud.com`,
          projectId: e.METASTUDIO_PROJECT_ID,
          credentials: {
            accessKey: e.CLOUD_SDK_AK,
            secretKey: e.CLOUD_SDK_SK,
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

    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT ?? null,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
  };
}
