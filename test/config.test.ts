import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'sk-very-secret-value-0123456789';

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
      logLevel: 'info',
      metricsPort: null,
      shutdownTimeoutMs: 10_000,
      otlpEndpoint: null,
    });
  });

  it('reads the operating settings, and names each bad one', () => {
    expect(
      loadConfig({ LOG_LEVEL: 'debug', METRICS_PORT: '9464', SHUTDOWN_TIMEOUT_MS: '2500', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }),
    ).toMatchObject({ logLevel: 'debug', metricsPort: 9464, shutdownTimeoutMs: 2500, otlpEndpoint: 'http://127.0.0.1:4318' });
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
    const message = problems({ LOG_LEVEL: 'loud', METRICS_PORT: '70000', SHUTDOWN_TIMEOUT_MS: '-1', OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector' });
    for (const name of ['LOG_LEVEL', 'METRICS_PORT', 'SHUTDOWN_TIMEOUT_MS', 'OTEL_EXPORTER_OTLP_ENDPOINT']) expect(message).toContain(name);
  });

  it('builds the regional endpoint from METASTUDIO_REGION', () => {
    const config = loadConfig({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'p1', METASTUDIO_REGION: 'ap-southeast-3' });
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
    expect(config.upstream).toMatchObject({ projectId: 'p2', credentials: { accessKey: 'AK1', secretKey: SECRET, securityToken: 'tok2' } });
  });

  it('names every bad value at once', () => {
    const message = problems({
      PORT: 'eighty',
      UPSTREAM_TIMEOUT_MS: '0',
      UPSTREAM_CONCURRENCY: '100000',
      METASTUDIO_ENDPOINT: 'ftp://example',
      METASTUDIO_REGION: 'moon',
    });
    for (const name of ['PORT', 'UPSTREAM_TIMEOUT_MS', 'UPSTREAM_CONCURRENCY', 'METASTUDIO_ENDPOINT', 'METASTUDIO_REGION']) {
      expect(message).toContain(name);
    }
  });

  it('refuses an upstream setting without credentials instead of silently using the simulator', () => {
    expect(problems({ METASTUDIO_ENDPOINT: 'http://127.0.0.1:9000' })).toMatch(/METASTUDIO_ENDPOINT is set but CLOUD_SDK_AK/);
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
    const text = problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'p1', METASTUDIO_ENDPOINT: endpoint });
    expect(text).toMatch(/METASTUDIO_ENDPOINT/);
    expect(text).toMatch(message);
  });

  it('refuses half-configured credentials, and never echoes the secret', () => {
    expect(problems({ CLOUD_SDK_SK: SECRET })).toMatch(/CLOUD_SDK_AK and CLOUD_SDK_SK must be set together/);
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET })).toMatch(/METASTUDIO_PROJECT_ID/);
    expect(problems({ CLOUD_SDK_SECURITY_TOKEN: SECRET })).toMatch(/CLOUD_SDK_SECURITY_TOKEN is set but CLOUD_SDK_AK and CLOUD_SDK_SK are not/);
    expect(problems({ CLOUD_SDK_SECURITY_TOKEN: SECRET })).not.toContain(SECRET);
    expect(problems({ CLOUD_SDK_AK: SECRET, CLOUD_SDK_SK: '  ', METASTUDIO_PROJECT_ID: 'p' })).not.toContain(SECRET);
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'bad/id' })).not.toContain(SECRET);
    expect(problems({ CLOUD_SDK_AK: 'AK', CLOUD_SDK_SK: SECRET, METASTUDIO_PROJECT_ID: 'bad/id' })).toContain('METASTUDIO_PROJECT_ID');
  });
});
