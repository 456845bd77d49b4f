// Tracing: spans for the operation and its upstream calls, joined to the
// caller's trace; and no OpenTelemetry code loaded unless it is switched on.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { startHarness, type Harness } from '../support/harness.js';
import { killAll, runScript } from '../support/processes.js';

afterEach(killAll);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('startTracing', () => {
  let h: Harness;
  let tracing: Tracing;
  let app: App;
  const exporter = new InMemorySpanExporter();
  beforeAll(async () => {
    h = await startHarness();
    tracing = startTracing({ spanProcessor: new SimpleSpanProcessor({ exporter }) });
    app = createApp({ client: h.client, plugins: [tracing.plugin] });
  });
  afterAll(async () => {
    await tracing.shutdown();
    await app.dispose();
    await h.close();
  });

  it('spans the operation and each upstream call under the caller trace', async () => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
      body: JSON.stringify({
        query: 'query Dashboard { trainingJobs(jobIds: ["job-complete", "fault-503"]) { operations { totalCount } } }',
      }),
    });
    expect(response.status).toBe(200);

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((span) => span.name === 'query Dashboard');
    expect(operation).toBeDefined();
    expect(operation!.spanContext().traceId).toBe(TRACE_ID);
    expect(operation!.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(operation!.attributes).toMatchObject({
      'graphql.operation.name': 'Dashboard',
      'graphql.operation.type': 'query',
      'graphql.error.codes': ['UPSTREAM_UNAVAILABLE'],
    });

    const children = spans.filter((span) => span.parentSpanContext?.spanId === operation!.spanContext().spanId);
    const attempts = children.filter((span) => span.name === 'GET metastudio op-logs');
    // fault-503 fails every attempt: 1 + UPSTREAM_RETRIES spans for it.
    expect(
      attempts
        .map((span) => [span.attributes['metastudio.job_id'], span.attributes['http.response.status_code']])
        .sort(),
    ).toEqual([
      ['fault-503', 503],
      ['fault-503', 503],
      ['fault-503', 503],
      ['job-complete', 200],
    ]);
    expect(attempts.every((span) => typeof span.attributes['metastudio.request_id'] === 'string')).toBe(true);
    const calls = children.filter((span) => span.name === 'metastudio listOperationLogs');
    expect(calls.map((span) => span.attributes['metastudio.outcome']).sort()).toEqual(['UPSTREAM_UNAVAILABLE', 'ok']);
  });
});

describe('Tracing.shutdown', () => {
  it('returns when the last spans cannot be delivered, whether the export fails or hangs', async () => {
    const failing = startTracing({
      spanProcessor: {
        onStart() {},
        onEnd() {},
        forceFlush: async () => {},
        shutdown: () => Promise.reject(new Error('ECONNREFUSED')),
      },
    });
    await expect(failing.shutdown()).resolves.toBeUndefined();
    const hanging = startTracing({
      spanProcessor: {
        onStart() {},
        onEnd() {},
        forceFlush: async () => {},
        shutdown: () => new Promise<void>(() => {}),
      },
      flushTimeoutMs: 10,
    });
    await expect(hanging.shutdown()).resolves.toBeUndefined();
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('loads no OpenTelemetry code: only src/observability/tracing.ts imports it, and only main imports that, dynamically', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const importers = (pattern: RegExp) =>
      files.filter((file) => pattern.test(readFileSync(join('src', file), 'utf8')));
    expect(importers(/from '@opentelemetry\//)).toEqual(['observability/tracing.ts']);
    expect(importers(/tracing\.js'/)).toEqual(['main.ts']);
    expect(readFileSync('src/main.ts', 'utf8')).toMatch(
      /if \(config\.otlpEndpoint\)[^\n]*\n?[^\n]*await import\('\.\/observability\/tracing\.js'\)/,
    );
  });
});

describe('with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports the spans over OTLP/HTTP, at the latest when it shuts down', async () => {
    const bodies: { path: string; body: string }[] = [];
    const collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        bodies.push({ path: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const server = runScript('src/main.ts', {
        PORT: '0',
        NODE_ENV: 'test',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: 'oplogs-test',
      });
      const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
      expect(url, server.output()).toBeDefined();
      await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query Traced { trainingJob(jobId: "job-complete") { operations { totalCount } } }',
        }),
      });
      server.child.kill('SIGTERM');
      expect(await server.exitCode()).toBe(0);
      const exported = bodies
        .filter((b) => b.path === '/v1/traces')
        .map((b) => b.body)
        .join('\n');
      expect(exported).toContain('query Traced');
      expect(exported).toContain('GET metastudio op-logs');
      expect(exported).toContain('oplogs-test');
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
