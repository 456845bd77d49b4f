// One log line per request with the request's own figures, the x-request-id
// contract, and each upstream attempt logged next to the upstream's request id.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { requestIdFrom } from '../../src/observability/useRequestId.js';
import { createApp, type App } from '../../src/app.js';
import { PageCache } from '../../src/upstream/pageCache.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let app: App;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  h = await startHarness({
    client: { pageCache: new PageCache({ ttlMs: 60_000, maxEntries: 100, maxBytes: 1 << 20 }) },
  });
  const destination = { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
  app = createApp({ client: h.client, logger: createLogger({ level: 'debug', destination }) });
});
afterAll(async () => {
  await app.dispose();
  await h.close();
});
beforeEach(() => {
  lines = [];
});

async function post(query: string, headers: Record<string, string> = {}): Promise<Response> {
  return app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}

const requestLines = () => lines.filter((line) => line.msg === 'request');

describe('request log', () => {
  it('writes one line per request with its operation, upstream calls, cache hits and error codes', async () => {
    // Puts one window in the page cache, so the next request gets a hit for it.
    await post('{ trainingJob(jobId: "job-admin-rejected") { operations(limit: 3) { totalCount } } }');
    lines = [];
    const response = await post(
      'query Dashboard { trainingJobs(jobIds: ["job-complete", "fault-503", "job-complete", "job-admin-rejected"]) { operations(limit: 3) { totalCount } } }',
      { 'x-request-id': 'client-id-1' },
    );
    expect(response.status).toBe(200);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: 'client-id-1',
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: 'Dashboard',
        durationMs: expect.any(Number),
        upstreamCalls: 2,
        cacheHits: 1,
        errorCodes: ['UPSTREAM_UNAVAILABLE'],
      }),
    ]);
  });

  it('counts each request only its own upstream calls when requests overlap', async () => {
    const one = 'query One { trainingJob(jobId: "job-complete") { operations { totalCount } } }';
    const three =
      'query Three { trainingJobs(jobIds: ["job-empty", "job-drift", "job-long-history"]) { operations { totalCount } } }';
    await Promise.all([post(one, { 'x-request-id': 'one' }), post(three, { 'x-request-id': 'three' })]);
    const byId = Object.fromEntries(requestLines().map((line) => [line.requestId, line]));
    expect(byId.one).toMatchObject({ operationName: 'One', upstreamCalls: 1, errorCodes: [] });
    expect(byId.three).toMatchObject({ operationName: 'Three', upstreamCalls: 3, errorCodes: [] });
  });

  it('counts no upstream call for calls that failed fast without reaching MetaStudio', async () => {
    const failing = await startHarness({ client: { retries: 0, breakerThreshold: 1, breakerCooldownMs: 60_000 } });
    const failingApp = createApp({
      client: failing.client,
      logger: createLogger({
        destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
      }),
    });
    try {
      const send = (query: string, requestId: string) =>
        failingApp.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': requestId },
          body: JSON.stringify({ query }),
        });
      await send('{ trainingJob(jobId: "fault-503") { operations { totalCount } } }', 'opens');
      // The breaker is open now: both windows fail fast.
      await send('{ trainingJobs(jobIds: ["job-complete", "job-empty"]) { operations { totalCount } } }', 'refused');
      expect(failing.simulator.requests).toHaveLength(1);
    } finally {
      await failingApp.dispose();
      await failing.close();
    }
    const byId = Object.fromEntries(requestLines().map((line) => [line.requestId, line]));
    expect(byId.opens).toMatchObject({ upstreamCalls: 1, errorCodes: ['UPSTREAM_UNAVAILABLE'] });
    expect(byId.refused).toMatchObject({ upstreamCalls: 0, errorCodes: ['UPSTREAM_UNAVAILABLE'] });
  });

  it('logs each upstream attempt with our request id next to the upstream one', async () => {
    const body = (await (
      await post('{ trainingJob(jobId: "fault-500") { operations { totalCount } } }', { 'x-request-id': 'r-500' })
    ).json()) as {
      errors: { extensions: { requestId: string; code: string } }[];
    };
    const upstreamRequestId = body.errors[0]?.extensions.requestId;
    expect(upstreamRequestId).toMatch(/\S/);
    // 1 + UPSTREAM_RETRIES attempts, each with the upstream's own id; the error carries the last one.
    const attempts = lines.filter((line) => line.msg === 'upstream attempt');
    expect(attempts).toEqual(
      [1, 2, 3].map((attempt) =>
        expect.objectContaining({
          level: 20,
          requestId: 'r-500',
          attempt,
          jobId: 'fault-500',
          status: 500,
          errorCode: 'UPSTREAM_UNAVAILABLE',
        }),
      ),
    );
    expect(attempts[2]?.upstreamRequestId).toBe(upstreamRequestId);
    expect(new Set(attempts.map((line) => line.upstreamRequestId)).size).toBe(3);
    expect(requestLines()[0]).toMatchObject({
      requestId: 'r-500',
      operationName: null,
      errorCodes: ['UPSTREAM_UNAVAILABLE'],
    });
    // At the default level too: the request's own line carries MetaStudio's ids of every attempt.
    expect(requestLines()[0]?.upstreamRequestIds).toEqual(attempts.map((line) => line.upstreamRequestId));
  });

  it('logs the circuit breaker opening at warn, and closing again', async () => {
    const failing = await startHarness({ client: { retries: 0, breakerThreshold: 1, breakerCooldownMs: 50 } });
    try {
      failing.simulator.inject({ kind: 'status', status: 503 }, { times: 1 });
      await failing.client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 }).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await failing.client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 });
    } finally {
      await failing.close();
    }
    expect(
      lines.filter((line) => typeof line.breaker === 'string').map((line) => [line.level, line.breaker, line.msg]),
    ).toEqual([
      [40, 'open', 'upstream circuit breaker open'],
      [30, 'half-open', 'upstream circuit breaker half-open'],
      [30, 'closed', 'upstream circuit breaker closed'],
    ]);
  });

  it('logs probes at debug and input errors with their code', async () => {
    await app.fetch('http://localhost/healthz');
    await post('{ trainingJob(jobId: "") { jobId } }');
    const [probe, graphql] = requestLines();
    expect(probe).toMatchObject({ level: 20, path: '/healthz', status: 200 });
    expect(graphql).toMatchObject({ level: 30, upstreamCalls: 0, errorCodes: ['BAD_USER_INPUT'] });
  });
});

describe('x-request-id', () => {
  it('echoes a well-formed client id and replaces anything else with a generated one', async () => {
    const valid = ['a', 'A-Z_0.9', 'x'.repeat(128)];
    for (const id of valid) {
      expect(
        (await app.fetch('http://localhost/healthz', { headers: { 'x-request-id': id } })).headers.get('x-request-id'),
      ).toBe(id);
    }
    const invalid = ['x'.repeat(129), 'has space', 'semi;colon', 'ünïcode', '{"json":1}'];
    const seen = new Set<string>();
    for (const id of invalid) {
      const echoed = (await app.fetch('http://localhost/healthz', { headers: { 'x-request-id': id } })).headers.get(
        'x-request-id',
      );
      expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
      seen.add(echoed!);
    }
    const none = (await post('{ __typename }')).headers.get('x-request-id');
    expect(none).toMatch(/^[0-9a-f-]{36}$/);
    seen.add(none!);
    expect(seen.size).toBe(invalid.length + 1);
  });

  it('accepts exactly 1-128 characters of [A-Za-z0-9._-]', () => {
    expect(requestIdFrom('ok-1.2_3')).toBe('ok-1.2_3');
    expect(requestIdFrom('')).not.toBe('');
    expect(requestIdFrom(null)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('a\nb')).not.toBe('a\nb');
  });
});

describe('request log of a subscription', () => {
  async function subscribe(jobId: string, signal?: AbortSignal): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-request-id': `watch-${jobId}` },
      body: JSON.stringify({ query: `subscription Watch { trainingJobEvents(jobId: "${jobId}") { status } }` }),
      signal,
    });
    return response.body!.getReader();
  }

  async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += new TextDecoder().decode(value);
    }
  }

  it('is written when the subscription ends, with its duration, the events sent and the upstream calls', async () => {
    expect(await readAll(await subscribe('job-complete'))).toMatch(/COMPLETED[\s\S]*event: complete/);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        requestId: 'watch-job-complete',
        status: 200,
        operationName: 'Watch',
        durationMs: expect.any(Number),
        events: 1,
        upstreamCalls: 1,
        errorCodes: [],
      }),
    ]);
  });

  it('waits for the end: nothing while it is open, one line when the client goes away', async () => {
    const gone = new AbortController();
    const reader = await subscribe('job-training', gone.signal);
    let text = '';
    while (!text.includes('TRAINING')) text += new TextDecoder().decode((await reader.read()).value);
    expect(requestLines()).toEqual([]);
    gone.abort();
    await reader.cancel().catch(() => undefined);
    while (requestLines().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(requestLines()).toEqual([
      expect.objectContaining({ requestId: 'watch-job-training', events: 1, upstreamCalls: 1 }),
    ]);
  });

  it('carries the code of the upstream failure that ended it', async () => {
    await readAll(await subscribe('fault-404-not-a-job'));
    expect(requestLines()).toEqual([
      expect.objectContaining({ events: 1, upstreamCalls: 1, errorCodes: ['UPSTREAM_NOT_FOUND'] }),
    ]);
  });
});
