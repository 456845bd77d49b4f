import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_SECURITY } from '../src/security/policy.js';
import { TEST_SECRETS } from './support/secrets.js';

const SECRET = TEST_SECRETS.configSk;

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults and no upstream (the simulator) without credentials', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '127.0.0.1',
      upstream: null,
      upstreamTimeoutMs: 10_000,
      upstreamConcurrency: 8,
      nodeEnv: 'development',
      resilience: {
        retries: 2,
        deadlineMs: 30_000,
        rateLimit: 20,
        queueTimeoutMs: 5_000,
        breakerThreshold: 10,
        breakerCooldownMs: 30_000,
      },
      pageCache: { ttlMs: 5_000, maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 },
      entitiesMaxRepresentations: 500,
      security: DEFAULT_SECURITY,
      logLevel: 'info',
      metricsPort: null,
      shutdownTimeoutMs: 10_000,
      otlpEndpoint: null,
      redis: null,
      subscriptions: {
        pollMs: 5_000,
        pollMaxMs: 60_000,
        upstreamShare: 0.5,
        maxFailures: 5,
        maxPerCaller: 20,
        maxJobs: 1_000,
        maxDurationMs: 86_400_000,
      },
      webSocket: { maxConnections: 1_000, maxConnectionsPerCaller: 20 },
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000 },
    });
  });

  it('reads the subscription settings, polls as short as 50 ms included', () => {
    const config = loadConfig({
      SUBSCRIPTION_POLL_MS: '50',
      SUBSCRIPTION_POLL_MAX_MS: '800',
      SUBSCRIPTION_UPSTREAM_SHARE: '0.25',
      SUBSCRIPTION_MAX_FAILURES: '2',
      SUBSCRIPTION_MAX_PER_CALLER: '40',
      SUBSCRIPTION_MAX_JOBS: '10',
      SUBSCRIPTION_MAX_DURATION_MS: '60000',
    });
    expect(config.subscriptions).toEqual({
      pollMs: 50,
      pollMaxMs: 800,
      upstreamShare: 0.25,
      maxFailures: 2,
      maxPerCaller: 40,
      maxJobs: 10,
      maxDurationMs: 60_000,
    });
    expect(loadConfig({ SUBSCRIPTION_UPSTREAM_SHARE: '1' }).subscriptions.upstreamShare).toBe(1);
    expect(loadConfig({ SUBSCRIPTION_UPSTREAM_SHARE: '.5' }).subscriptions.upstreamShare).toBe(0.5);
  });

  it('reads the socket settings, and refuses a request timeout shorter than the headers timeout', () => {
    const config = loadConfig({
      WS_MAX_CONNECTIONS: '500',
      WS_MAX_CONNECTIONS_PER_CALLER: '3',
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });
    expect(config.webSocket).toEqual({ maxConnections: 500, maxConnectionsPerCaller: 3 });
    expect(config.http).toEqual({ headersTimeoutMs: 2_000, requestTimeoutMs: 4_000, keepAliveTimeoutMs: 1_000 });
    expect(problems({ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' })).toMatch(
      /HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS/,
    );
    expect(problems({ WS_MAX_CONNECTIONS: '0' })).toMatch(/WS_MAX_CONNECTIONS must be at least 1/);
  });

  it('refuses subscription settings out of range or contradicting each other', () => {
    expect(problems({ SUBSCRIPTION_POLL_MS: '49' })).toMatch(/SUBSCRIPTION_POLL_MS must be at least 50/);
    expect(problems({ SUBSCRIPTION_POLL_MS: '10000', SUBSCRIPTION_POLL_MAX_MS: '5000' })).toMatch(
      /SUBSCRIPTION_POLL_MAX_MS must be at least SUBSCRIPTION_POLL_MS/,
    );
    for (const bad of ['0', '1.5', '-0.1', 'half', '1.']) {
      expect(problems({ SUBSCRIPTION_UPSTREAM_SHARE: bad })).toMatch(/SUBSCRIPTION_UPSTREAM_SHARE must be/);
    }
    const message = problems({
      SUBSCRIPTION_MAX_FAILURES: '0',
      SUBSCRIPTION_MAX_PER_CALLER: '0',
      SUBSCRIPTION_MAX_JOBS: 'many',
      SUBSCRIPTION_MAX_DURATION_MS: '2147483648',
    });
    expect(message).toMatch(/SUBSCRIPTION_MAX_FAILURES must be at least 1/);
    expect(message).toMatch(/SUBSCRIPTION_MAX_PER_CALLER must be at least 1/);
    expect(message).toMatch(/SUBSCRIPTION_MAX_JOBS must be a whole number/);
    expect(message).toMatch(/SUBSCRIPTION_MAX_DURATION_MS must be at most 2147483647/);
  });

  it('reads the resilience settings, 0 turning the rate limit off', () => {
    const config = loadConfig({
      UPSTREAM_RETRIES: '0',
      UPSTREAM_DEADLINE_MS: '12000',
      UPSTREAM_RATE_LIMIT: '0',
      UPSTREAM_QUEUE_TIMEOUT_MS: '250',
      BREAKER_THRESHOLD: '3',
      BREAKER_COOLDOWN_MS: '1000',
    });
    expect(config.resilience).toEqual({
      retries: 0,
      deadlineMs: 12_000,
      rateLimit: 0,
      queueTimeoutMs: 250,
      breakerThreshold: 3,
      breakerCooldownMs: 1000,
    });
  });

  it('refuses a deadline shorter than one attempt, and out-of-range resilience values', () => {
    expect(problems({ UPSTREAM_TIMEOUT_MS: '5000', UPSTREAM_DEADLINE_MS: '1000' })).toMatch(
      /UPSTREAM_DEADLINE_MS must be at least UPSTREAM_TIMEOUT_MS/,
    );
    const message = problems({ UPSTREAM_RETRIES: '-1', BREAKER_THRESHOLD: '0', UPSTREAM_RATE_LIMIT: 'fast' });
    expect(message).toMatch(/UPSTREAM_RETRIES/);
    expect(message).toMatch(/BREAKER_THRESHOLD must be at least 1/);
    expect(message).toMatch(/UPSTREAM_RATE_LIMIT must be a whole number/);
  });

  it('reads the operating settings, and names each bad one', () => {
    expect(
      loadConfig({
        LOG_LEVEL: 'debug',
        METRICS_PORT: '9464',
        SHUTDOWN_TIMEOUT_MS: '2500',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      }),
    ).toMatchObject({
      logLevel: 'debug',
      metricsPort: 9464,
      shutdownTimeoutMs: 2500,
      otlpEndpoint: 'http://127.0.0.1:4318',
    });
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
    const message = problems({
      LOG_LEVEL: 'loud',
      METRICS_PORT: '70000',
      SHUTDOWN_TIMEOUT_MS: '-1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector',
    });
    for (const name of ['LOG_LEVEL', 'METRICS_PORT', 'SHUTDOWN_TIMEOUT_MS', 'OTEL_EXPORTER_OTLP_ENDPOINT'])
      expect(message).toContain(name);
  });

  it('builds the regional endpoint from METASTUDIO_REGION', () => {
    const config = loadConfig({
      CLOUD_SDK_AK: 'AK',
      CLOUD_SDK_SK: SECRET,
      METASTUDIO_PROJECT_ID: 'p1',
      METASTUDIO_REGION: 'ap-southeast-3',
    });
    expect(config.upstream).toEqual({
      endpoint: 'https://metastudio.ap-southeast-3.myhuaweicloud.com',
      projectId: 'p1',
      credentials: { accessKey: 'AK', secretKey: SECRET, securityToken: undefined },
    });
  });

  it('lets METASTUDIO_ENDPOINT override the region, and takes a security token', () => {
    const config = loadConfig({
      CLOUD_SDK_AK: 'AK',
      CLOUD_SDK_SK: SECRET,
      CLOUD_SDK_SECURITY_TOKEN: 'token',
      METASTUDIO_PROJECT_ID: 'p1',
      METASTUDIO_ENDPOINT: 'http://127.0.0.1:9000',
      UPSTREAM_TIMEOUT_MS: '2500',
      UPSTREAM_CONCURRENCY: '4',
      PORT: '8080',
      HOST: '0.0.0.0',
      ALLOW_UNAUTHENTICATED: 'true',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      upstreamTimeoutMs: 2500,
      upstreamConcurrency: 4,
      upstream: { endpoint: 'http://127.0.0.1:9000', credentials: { securityToken: 'token' } },
    });
  });

  it('accepts the HUAWEICLOUD_SDK_* names, with CLOUD_SDK_* taking precedence', () => {
    const config = loadConfig({
      HUAWEICLOUD_SDK_AK: 'AK2',
      HUAWEICLOUD_SDK_SK: SECRET,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'tok2',
      HUAWEICLOUD_SDK_PROJECT_ID: 'p2',
      CLOUD_SDK_AK: 'AK1',
    });
    expect(config.upstream).toMatchObject({
      projectId: 'p2',
      credentials: { accessKey: 'AK1', secretKey: SECRET, securityToken: 'tok2' },
    });
  });

  it('names every bad value at once', () => {
    const message = problems({
      PORT: 'eighty',
      UPSTREAM_TIMEOUT_MS: '0',
      UPSTREAM_CONCURRENCY: '100000',
      METASTUDIO_ENDPOINT: 'ftp://example',
      METASTUDIO_REGION: 'moon',
    });
    for (const name of [
      'PORT',
      'UPSTREAM_TIMEOUT_MS',
      'UPSTREAM_CONCURRENCY',
      'METASTUDIO_ENDPOINT',
      'METASTUDIO_REGION',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('reads ENTITIES_MAX_REPRESENTATIONS as a whole number from 1', () => {
    expect(loadConfig({ ENTITIES_MAX_REPRESENTATIONS: '50' }).entitiesMaxRepresentations).toBe(50);
    expect(problems({ ENTITIES_MAX_REPRESENTATIONS: '0' })).toMatch(/ENTITIES_MAX_REPRESENTATIONS must be at least 1/);
    expect(problems({ ENTITIES_MAX_REPRESENTATIONS: 'all' })).toMatch(
      /ENTITIES_MAX_REPRESENTATIONS must be a whole number/,
    );
  });

  it('refuses an upstream setting without credentials instead of silently using the simulator', () => {
    expect(problems({ METASTUDIO_ENDPOINT: 'http://127.0.0.1:9000' })).toMatch(
      /METASTUDIO_ENDPOINT is set but CLOUD_SDK_AK/,
    );
    expect(problems({ HUAWEICLOUD_SDK_PROJECT_ID: 'p1' })).toMatch(/METASTUDIO_PROJECT_ID is set but CLOUD_SDK_AK/);
  });

  it.each([
    ['http://user:pw@metastudio.example', /user name or password/],
    ['https://metastudio.example/?region=x', /query or fragment/],
    ['https://metastudio.example/#x', /query or fragment/],
    ['https://metastudio.example/%E0', /percent-encoding/],
    ['ftp://metastudio.example', /http\(s\) URL/],
    ['metastudio.example', /http\(s\) URL/],
  ])('refuses METASTUDIO_ENDPOINT=%s', (endpoint, message) => {
    const text = problems({
      CLOUD_SDK_AK: 'AK',
      CLOUD_SDK_SK: SECRET,
      METASTUDIO_PROJECT_ID: 'p1',
      METASTUDIO_ENDPOINT: endpoint,
    });
    expect(text).toMatch(/METASTUDIO_ENDPOINT/);
    expect(text).toMatch(message);
  });

  it('refuses half-configured credentials, and never echoes the secret', () => {
    expect(problems({ CLOUD_SDK_SK: SECRET })).toMatch(/CLOUD_SDK_AK and CLOUD_SDK_SK must be set together/);
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET })).toMatch(/METASTUDIO_PROJECT_ID/);
    expect(problems({ CLOUD_SDK_SECURITY_TOKEN: SECRET })).toMatch(
      /CLOUD_SDK_SECURITY_TOKEN is set but CLOUD_SDK_AK and CLOUD_SDK_SK are not/,
    );
    expect(problems({ CLOUD_SDK_SECURITY_TOKEN: SECRET })).not.toContain(SECRET);
    expect(problems({ CLOUD_SDK_AK: SECRET, CLOUD_SDK_SK: '  ', METASTUDIO_PROJECT_ID: 'p' })).not.toContain(SECRET);
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'bad/id' })).not.toContain(
      SECRET,
    );
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'bad/id' })).toContain(
      'METASTUDIO_PROJECT_ID',
    );
  });
});

describe('Redis settings', () => {
  it('reads REDIS_URL with its password and database, and the prefix and timeout', () => {
    expect(loadConfig({ REDIS_URL: `redis://:${SECRET}@10.0.0.5:6380/2` }).redis).toEqual({
      url: `redis://:${SECRET}@10.0.0.5:6380/2`,
      keyPrefix: 'msol:',
      timeoutMs: 250,
    });
    expect(
      loadConfig({ REDIS_URL: 'rediss://cache.example.com', REDIS_KEY_PREFIX: 'staging:', REDIS_TIMEOUT_MS: '100' })
        .redis,
    ).toEqual({
      url: 'rediss://cache.example.com',
      keyPrefix: 'staging:',
      timeoutMs: 100,
    });
  });

  it('refuses other schemes, a database that is not a number, and bad prefixes and timeouts, never echoing the URL', () => {
    const message = problems({
      REDIS_URL: `http://:${SECRET}@127.0.0.1:6379`,
      REDIS_KEY_PREFIX: 'has space',
      REDIS_TIMEOUT_MS: '0',
    });
    expect(message).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(message).toMatch(/REDIS_KEY_PREFIX must be 1 to 64 printable ASCII characters/);
    expect(message).toMatch(/REDIS_TIMEOUT_MS must be at least 1/);
    expect(problems({ REDIS_URL: `redis://:${SECRET}@127.0.0.1:6379/cache` })).toMatch(
      /REDIS_URL must name the database as a number/,
    );
    expect(message).not.toContain(SECRET);
  });

  it('refuses the other Redis settings without REDIS_URL', () => {
    expect(problems({ REDIS_KEY_PREFIX: 'x:' })).toMatch(/REDIS_KEY_PREFIX is set but REDIS_URL is not/);
    expect(problems({ REDIS_TIMEOUT_MS: '100' })).toMatch(/REDIS_TIMEOUT_MS is set but REDIS_URL is not/);
  });
});

describe('security settings', () => {
  const real = { CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'p1' };
  const DIGEST = 'a'.repeat(64);
  const JWT_SECRET = TEST_SECRETS.configJwtSecret;

  it('refuses real credentials on a public interface without authentication, naming the override', () => {
    const message = problems({ ...real, HOST: '0.0.0.0' });
    expect(message).toMatch(/AUTH_MODE=jwt or AUTH_MODE=apikey/);
    expect(message).toContain('ALLOW_UNAUTHENTICATED=true');
    expect(message).not.toContain(SECRET);
  });

  it.each([
    ['loopback', { HOST: '127.0.0.1' }],
    ['IPv6 loopback', { HOST: '::1' }],
    ['localhost', { HOST: 'localhost' }],
    ['the explicit override', { HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }],
    ['an API key', { HOST: '0.0.0.0', AUTH_MODE: 'apikey', AUTH_API_KEYS: DIGEST }],
  ])('starts with real credentials on %s', (_name, env) => {
    expect(loadConfig({ ...real, ...env }).upstream).not.toBeNull();
  });

  it('starts on the simulator on any interface without authentication', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).security.auth).toEqual({ mode: 'none' });
  });

  it('reads each mode', () => {
    expect(
      loadConfig({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: JWT_SECRET, AUTH_JWT_ISSUER: 'iss', AUTH_JWT_AUDIENCE: 'aud' })
        .security.auth,
    ).toEqual({
      mode: 'jwt',
      secret: JWT_SECRET,
      jwksUrl: undefined,
      issuer: 'iss',
      audience: 'aud',
    });
    expect(loadConfig({ AUTH_MODE: 'jwt', AUTH_JWKS_URL: 'http://127.0.0.1:1/jwks.json' }).security.auth).toMatchObject(
      { jwksUrl: 'http://127.0.0.1:1/jwks.json' },
    );
    expect(
      loadConfig({ AUTH_MODE: 'apikey', AUTH_API_KEYS: ` ${DIGEST.toUpperCase()}, ${'b'.repeat(64)} ` }).security.auth,
    ).toEqual({
      mode: 'apikey',
      keyDigests: [DIGEST, 'b'.repeat(64)],
    });
  });

  it('refuses contradictory or malformed authentication settings, never echoing them', () => {
    expect(problems({ AUTH_MODE: 'jwt' })).toMatch(/exactly one of AUTH_JWT_SECRET .* and AUTH_JWKS_URL/);
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://idp.example/jwks' })).toMatch(
      /exactly one/,
    );
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'short-secret' })).toMatch(
      /AUTH_JWT_SECRET must be at least 32 characters/,
    );
    expect(problems({ AUTH_MODE: 'jwt', AUTH_JWT_SECRET: 'short-secret' })).not.toContain('short-secret');
    expect(problems({ AUTH_MODE: 'apikey' })).toMatch(/AUTH_MODE=apikey needs AUTH_API_KEYS/);
    expect(problems({ AUTH_MODE: 'apikey', AUTH_API_KEYS: 'plain-key-not-a-digest' })).toMatch(
      /AUTH_API_KEYS.*SHA-256 hex digests/,
    );
    expect(problems({ AUTH_MODE: 'apikey', AUTH_API_KEYS: 'plain-key-not-a-digest' })).not.toContain(
      'plain-key-not-a-digest',
    );
    expect(problems({ AUTH_JWT_SECRET: SECRET })).toMatch(/AUTH_JWT_SECRET is set but AUTH_MODE is not jwt/);
    expect(problems({ AUTH_MODE: 'basic' })).toMatch(/AUTH_MODE must be none, jwt or apikey/);
  });

  it('reads limits, CORS origins and production switches, with production defaults', () => {
    const config = loadConfig({
      MAX_DEPTH: '5',
      MAX_ALIASES: '3',
      MAX_TOKENS: '200',
      MAX_DIRECTIVES: '2',
      MAX_UPSTREAM_CALLS: '7',
      MAX_BODY_BYTES: '2048',
      CALLER_RATE_LIMIT: '9',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
      NODE_ENV: 'production',
      GRAPHIQL: 'true',
    });
    expect(config.security).toMatchObject({
      limits: { maxDepth: 5, maxAliases: 3, maxTokens: 200, maxDirectives: 2, maxUpstreamCalls: 7, maxBodyBytes: 2048 },
      callerRateLimit: 9,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      production: true,
      graphiql: true,
      introspection: false,
    });
    const message = problems({
      MAX_DEPTH: '0',
      CORS_ORIGINS: 'https://app.example.com/path',
      GRAPHIQL: 'yes',
      MAX_BODY_BYTES: '1',
    });
    for (const name of ['MAX_DEPTH', 'CORS_ORIGINS', 'GRAPHIQL', 'MAX_BODY_BYTES']) expect(message).toContain(name);
  });

  it("loads PERSISTED_OPERATIONS_FILE, refusing entries whose hash is not their document's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
    const document = '{ trainingJob(jobId: "job-complete") { jobId } }';
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ [createHash('sha256').update(document).digest('hex')]: document }));
    expect([...(loadConfig({ PERSISTED_OPERATIONS_FILE: good }).security.persistedOperations?.values() ?? [])]).toEqual(
      [document],
    );

    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ['0'.repeat(64)]: document }));
    expect(problems({ PERSISTED_OPERATIONS_FILE: wrong })).toMatch(/must map the SHA-256 hex digest of a document/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(problems({ PERSISTED_OPERATIONS_FILE: broken })).toMatch(/PERSISTED_OPERATIONS_FILE is not valid JSON/);
    expect(problems({ PERSISTED_OPERATIONS_FILE: join(dir, 'missing.json') })).toMatch(
      /PERSISTED_OPERATIONS_FILE cannot be read/,
    );
  });
});
