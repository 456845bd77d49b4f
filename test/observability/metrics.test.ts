// /metrics after a known workload: GraphQL figures (useGraphQLMetrics), upstream
// figures from the upstream events, process metrics, and the METRICS_PORT server.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveJobs } from '../../src/live/liveJobs.js';
import { Metrics } from '../../src/observability/metrics.js';
import { serveMetrics, type MetricsServer } from '../../src/observability/serveMetrics.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { createApp, type App } from '../../src/app.js';
import type { MetaStudioClientOptions } from '../../src/upstream/client.js';
import { upstreamEvents } from '../../src/upstream/events.js';
import { PageCache } from '../../src/upstream/pageCache.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ManualTimers } from '../support/manualTimers.js';
import { simulatorClient } from '../support/simulatorClient.js';

let h: Harness;
let metrics: Metrics;
let app: App;

beforeAll(async () => {
  // One attempt per call keeps the workload's counts simple; retries get their own test below.
  h = await startHarness({ client: { retries: 0 } });
  metrics = new Metrics(h.client);
  app = createApp({ client: h.client, metrics });
});
afterAll(async () => {
  metrics.close();
  await app.dispose();
  await h.close();
});

async function post(query: string): Promise<unknown> {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

async function scrape(
  fetchMetrics: () => Promise<Response> = async () => app.fetch('http://localhost/metrics'),
): Promise<string> {
  const response = await fetchMetrics();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample, matched by name and exactly these labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').match(/\w+="(?:[^"\\]|\\.)*"/g) ?? [];
    if (have.sort().join(',') === wanted) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  it('counts a known workload in every metric family', async () => {
    // Three distinct windows in one batch: one answered, one 503, one 404; a reset connection; a bad argument.
    await post(
      'query Dashboard { trainingJobs(jobIds: ["job-complete", "fault-503", "no-such-job", "job-complete"]) { operations { totalCount } } }',
    );
    await post('query Reset { trainingJob(jobId: "fault-reset") { operations { totalCount } } }');
    await post('query Bad { trainingJob(jobId: "") { jobId } }');

    // Exact values for the families whose real events need other client settings (see the next test).
    upstreamEvents.retry.publish({
      operation: 'listOperationLogs',
      jobId: 'j',
      attempt: 1,
      delayMs: 100,
      errorCode: 'UPSTREAM_UNAVAILABLE',
    });
    upstreamEvents.retry.publish({
      operation: 'listOperationLogs',
      jobId: 'j',
      attempt: 2,
      delayMs: 200,
      errorCode: 'UPSTREAM_UNAVAILABLE',
    });
    upstreamEvents.retry.publish({
      operation: 'listOperationLogs',
      jobId: 'k',
      attempt: 1,
      delayMs: 100,
      errorCode: 'UPSTREAM_THROTTLED',
    });
    upstreamEvents.rateLimitWait.publish({ waitedMs: 50, outcome: 'granted' });
    upstreamEvents.rateLimitWait.publish({ waitedMs: 2000, outcome: 'timeout' });
    upstreamEvents.breaker.publish({ state: 'open', previous: 'closed' });

    // One call held in flight until we have scraped.
    let scraped!: () => void;
    h.simulator.inject(
      { kind: 'hold', until: new Promise<void>((resolve) => (scraped = resolve)) },
      { jobId: 'job-empty', times: 1 },
    );
    const slow = post('{ trainingJob(jobId: "job-empty") { operations { totalCount } } }');
    let text: string;
    try {
      while (h.client.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      text = await scrape();
    } finally {
      scraped();
    }
    await slow;

    // GraphQL requests and operations (no operation names: callers choose them; see below).
    expect(sample(text, 'graphql_envelop_request', { operationType: 'query' })).toBe(3);
    expect(sample(text, 'graphql_envelop_request_duration_count', { operationType: 'query' })).toBe(3);
    // One per error: the 503 and the 404, the reset, the bad argument.
    expect(sample(text, 'graphql_envelop_error_result', { operationType: 'query', phase: 'execute' })).toBe(4);
    expect(
      sample(text, 'graphql_yoga_http_duration_count', { operationType: 'query', method: 'POST', statusCode: '200' }),
    ).toBe(3);

    // Upstream calls by outcome, attempts by status class and error code, latency.
    expect(sample(text, 'metastudio_upstream_calls_total', { outcome: 'ok' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_calls_total', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(2);
    expect(sample(text, 'metastudio_upstream_calls_total', { outcome: 'UPSTREAM_NOT_FOUND' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_attempts_total', { status_class: '2xx', error_code: 'none' })).toBe(1);
    expect(
      sample(text, 'metastudio_upstream_attempts_total', { status_class: '5xx', error_code: 'UPSTREAM_UNAVAILABLE' }),
    ).toBe(1);
    expect(
      sample(text, 'metastudio_upstream_attempts_total', { status_class: '4xx', error_code: 'UPSTREAM_NOT_FOUND' }),
    ).toBe(1);
    expect(
      sample(text, 'metastudio_upstream_attempts_total', { status_class: 'none', error_code: 'UPSTREAM_UNAVAILABLE' }),
    ).toBe(1);
    expect(sample(text, 'metastudio_upstream_attempt_duration_seconds_count', { status_class: '5xx' })).toBe(1);
    expect(
      sample(text, 'metastudio_upstream_attempt_duration_seconds_bucket', { status_class: '2xx', le: '+Inf' }),
    ).toBe(1);
    expect(sample(text, 'metastudio_upstream_call_duration_seconds_count', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(
      2,
    );

    // Retries, rate-limit waits, cache.
    expect(sample(text, 'metastudio_upstream_retries_total', { error_code: 'UPSTREAM_UNAVAILABLE' })).toBe(2);
    expect(sample(text, 'metastudio_upstream_retries_total', { error_code: 'UPSTREAM_THROTTLED' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_rate_limit_waits_total', { outcome: 'granted' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_rate_limit_waits_total', { outcome: 'timeout' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_rate_limit_wait_seconds_sum')).toBeCloseTo(2.05);
    // Every distinct window asked for: 3 in the dashboard, the reset, the slow one.
    expect(sample(text, 'metastudio_upstream_cache_requests_total', { outcome: 'miss' })).toBe(5);

    // DataLoader batches: sizes 3 and 1 so far (the slow one is in flight too).
    expect(sample(text, 'metastudio_loader_batch_size_count', { loader: 'opLogWindow' })).toBe(3);
    expect(sample(text, 'metastudio_loader_batch_size_sum', { loader: 'opLogWindow' })).toBe(5);
    expect(sample(text, 'metastudio_loader_batch_size_bucket', { loader: 'opLogWindow', le: '2' })).toBe(2);

    // Breaker state and in-flight calls.
    expect(sample(text, 'metastudio_upstream_breaker_state', { state: 'open' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_breaker_state', { state: 'closed' })).toBe(0);
    expect(sample(text, 'metastudio_upstream_breaker_transitions_total', { state: 'open' })).toBe(1);
    expect(sample(text, 'metastudio_upstream_in_flight')).toBe(1);

    // Process metrics.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    upstreamEvents.breaker.publish({ state: 'half-open', previous: 'open' });
    upstreamEvents.breaker.publish({ state: 'closed', previous: 'half-open' });
    const after = await scrape();
    expect(sample(after, 'metastudio_upstream_breaker_state', { state: 'closed' })).toBe(1);
    expect(sample(after, 'metastudio_upstream_breaker_state', { state: 'open' })).toBe(0);
    expect(sample(after, 'metastudio_upstream_breaker_transitions_total', { state: 'half-open' })).toBe(1);
    expect(sample(after, 'metastudio_upstream_in_flight')).toBe(0);
    // The slow call has been answered.
    expect(sample(after, 'metastudio_upstream_calls_total', { outcome: 'ok' })).toBe(2);
  });

  it('keeps unbounded values out of labels', async () => {
    const graphqlSeries = (text: string) => text.split('\n').filter((line) => line.startsWith('graphql_')).length;
    await post('query Rand0 { __typename }');
    const before = graphqlSeries(await scrape());
    for (let i = 1; i <= 200; i++) await post(`query Rand${i} { __typename }`);
    const text = await scrape();
    expect(graphqlSeries(text)).toBe(before);
    expect(text).not.toMatch(/Rand\d/);
    expect(text).not.toMatch(/url="/);
    expect(text).not.toMatch(/path="/);
  });

  it('gives each app its own registry, and stops counting once closed', async () => {
    const other = new Metrics(h.client);
    other.close();
    await post('{ trainingJob(jobId: "job-complete") { operations { totalCount } } }');
    expect(
      sample(await other.registry.metrics(), 'metastudio_upstream_calls_total', { outcome: 'ok' }),
    ).toBeUndefined();
    expect(sample(await scrape(), 'metastudio_upstream_calls_total', { outcome: 'ok' })).toBe(3);
  });

  it('says where shared state lives, and whether Redis answers only when there is one', async () => {
    const alone = new Metrics(h.client);
    const text = await alone.registry.metrics();
    alone.close();
    expect(sample(text, 'metastudio_cluster_mode', { mode: 'in-process' })).toBe(1);
    expect(sample(text, 'metastudio_cluster_replicas')).toBe(1);
    expect(sample(text, 'metastudio_redis_up')).toBeUndefined();

    const cluster: { mode: 'shared' | 'degraded'; replicas: number } = { mode: 'shared', replicas: 3 };
    const replica = new Metrics(h.client, cluster);
    try {
      expect(sample(await replica.registry.metrics(), 'metastudio_redis_up')).toBe(1);
      cluster.mode = 'degraded';
      const degraded = await replica.registry.metrics();
      expect(sample(degraded, 'metastudio_redis_up')).toBe(0);
      expect(sample(degraded, 'metastudio_cluster_mode', { mode: 'degraded' })).toBe(1);
      expect(sample(degraded, 'metastudio_cluster_mode', { mode: 'shared' })).toBe(0);
      expect(sample(degraded, 'metastudio_cluster_replicas')).toBe(3);
    } finally {
      replica.close();
    }
  });

  it('counts real retries, rate-limit waits, cache hits and breaker transitions', async () => {
    const fresh = new Metrics(h.client);
    const client = (options: Partial<MetaStudioClientOptions>) =>
      simulatorClient(h.simulator, { timeoutMs: 2000, concurrency: 4, ...options });
    const retrying = client({ retries: 1, rateLimit: 0, breakerThreshold: 1, breakerCooldownMs: 60_000 });
    const limited = client({ retries: 0, rateLimit: 1, queueTimeoutMs: 0 });
    const cached = client({
      rateLimit: 0,
      pageCache: new PageCache({ ttlMs: 60_000, maxEntries: 10, maxBytes: 1 << 20 }),
    });
    try {
      h.simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-drift', times: 2 });
      expect(sample(await fresh.registry.metrics(), 'metastudio_upstream_last_call_available')).toBe(1);
      await retrying.listOperationLogs({ jobId: 'job-drift', offset: 0, limit: 1 }).catch(() => undefined);
      expect(sample(await fresh.registry.metrics(), 'metastudio_upstream_last_call_available')).toBe(0);
      await Promise.all(
        [0, 1].map((offset) =>
          limited.listOperationLogs({ jobId: 'job-complete', offset, limit: 1 }).catch(() => undefined),
        ),
      );
      for (let i = 0; i < 2; i++) await cached.listOperationLogs({ jobId: 'job-admin-rejected', offset: 0, limit: 1 });
      const text = await fresh.registry.metrics();
      expect(sample(text, 'metastudio_upstream_retries_total', { error_code: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_breaker_transitions_total', { state: 'open' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_breaker_state', { state: 'open' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_rate_limit_waits_total', { outcome: 'timeout' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_cache_requests_total', { outcome: 'hit' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_last_call_available')).toBe(1);
      // The timed-out wait made no attempt: a refused call, not a call.
      expect(sample(text, 'metastudio_upstream_calls_refused_total', { outcome: 'UPSTREAM_THROTTLED' })).toBe(1);
      expect(sample(text, 'metastudio_upstream_calls_total', { outcome: 'UPSTREAM_THROTTLED' })).toBeUndefined();
      // The breaker, open now, refuses the next call before any attempt.
      await retrying.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 }).catch(() => undefined);
      const after = await fresh.registry.metrics();
      expect(sample(after, 'metastudio_upstream_calls_refused_total', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
      expect(sample(after, 'metastudio_upstream_calls_total', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
    } finally {
      fresh.close();
      await Promise.all([retrying.close(), limited.close(), cached.close()]);
    }
  });

  it('labels operations by name when a persisted-operations allowlist bounds the names', async () => {
    const document = 'query Timeline { trainingJob(jobId: "job-complete") { operations { totalCount } } }';
    const sha256Hash = createHash('sha256').update(document).digest('hex');
    const listed = new Metrics(h.client);
    const allowlisted = createApp({
      client: h.client,
      metrics: listed,
      security: { ...DEFAULT_SECURITY, persistedOperations: new Map([[sha256Hash, document]]) },
    });
    try {
      const send = async (operationName?: string) =>
        (
          await allowlisted.fetch('http://localhost/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ operationName, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
          })
        ).status;
      expect(await send()).toBe(200);
      expect(await send('Timeline')).toBe(200);
      // A name the listed document does not have is refused before it reaches a label.
      for (let i = 0; i < 20; i++) expect(await send(`Rand${i}`)).toBe(400);
      const text = await listed.registry.metrics();
      expect(sample(text, 'graphql_envelop_request', { operationName: 'Timeline', operationType: 'query' })).toBe(2);
      expect(text).not.toMatch(/Rand\d/);
    } finally {
      listed.close();
      await allowlisted.dispose();
    }
  });
});

describe('subscription metrics', () => {
  it('reports open subscriptions, watched jobs, polls by outcome and the poll interval', async () => {
    const timers = new ManualTimers();
    const live = new LiveJobs(h.client, { pollMs: 50, timers });
    const watched = new Metrics(h.client, undefined, live);
    const liveApp = createApp({ client: h.client, metrics: watched, live });
    try {
      const subscriptions = ['job-training', 'job-training', 'job-created'].map((jobId) =>
        live.subscribe(jobId, 'caller'),
      );
      for (const subscription of subscriptions) await subscription.next();
      await timers.scheduled(5); // three duration limits, two polls
      timers.fire((ms) => ms < 1000);
      await timers.scheduled(7);
      const text = await watched.registry.metrics();
      expect(sample(text, 'metastudio_subscriptions_open')).toBe(3);
      expect(sample(text, 'metastudio_subscription_jobs_watched')).toBe(2);
      expect(sample(text, 'metastudio_subscription_polls_total', { outcome: 'changed' })).toBe(2);
      expect(sample(text, 'metastudio_subscription_polls_total', { outcome: 'unchanged' })).toBe(2);
      expect(sample(text, 'metastudio_subscription_poll_interval_seconds')).toBe(0.05);
      live.close();
      expect(sample(await watched.registry.metrics(), 'metastudio_subscriptions_open')).toBe(0);
    } finally {
      live.close();
      watched.close();
      await liveApp.dispose();
    }
  });
});

describe('METRICS_PORT', () => {
  let server: MetricsServer;
  let separate: Metrics;
  let publicApp: App;
  beforeAll(async () => {
    separate = new Metrics(h.client);
    publicApp = createApp({ client: h.client, metrics: separate, metricsEndpoint: false });
    server = await serveMetrics(separate, 0, '127.0.0.1');
  });
  afterAll(async () => {
    separate.close();
    await publicApp.dispose();
    await server.close();
  });

  it('serves /metrics only on its own port', async () => {
    await publicApp.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Counted { __typename }' }),
    });
    expect((await publicApp.fetch('http://localhost/metrics')).status).toBe(404);
    const base = `http://127.0.0.1:${server.port}`;
    const text = await scrape(() => fetch(`${base}/metrics`));
    expect(sample(text, 'graphql_envelop_request', { operationType: 'query' })).toBe(1);
    expect((await fetch(`${base}/graphql`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
