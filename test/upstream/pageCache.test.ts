// Cross-request sharing: single-flight always, a short-TTL page cache when on,
// and never across tenants. Proven by counting the requests the simulator gets.
import { afterEach, expect, it } from 'vitest';
import { MetaStudioClient } from '../../src/upstream/client.js';
import { upstreamEvents, type CacheEvent } from '../../src/upstream/events.js';
import { PageCache } from '../../src/upstream/pageCache.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const QUERY = `query($id: ID!) { trainingJob(jobId: $id) { operations(limit: 5) { totalCount nodes { action } } } }`;
const cache = (ttlMs: number, overrides: Partial<ConstructorParameters<typeof PageCache>[0]> = {}) =>
  new PageCache({ ttlMs, maxEntries: 100, maxBytes: 1024 * 1024, ...overrides });

it('joins identical calls in flight across concurrent requests, even with the cache off', async () => {
  h = await startHarness({ client: { pageCache: cache(0) } });
  const events: CacheEvent[] = [];
  // The first call is answered only once all five requests have asked for the page.
  let allAsked!: () => void;
  h.simulator.inject({ kind: 'hold', until: new Promise<void>((resolve) => (allAsked = resolve)) }, { times: 1 });
  const off = upstreamEvents.cache.subscribe((e) => {
    events.push(e);
    if (events.length === 5) allAsked();
  });
  const results = await Promise.all(Array.from({ length: 5 }, () => h!.query(QUERY, { id: 'job-complete' })));
  off();
  expect(
    results.map(
      (r) => (r.data as { trainingJob: { operations: { totalCount: number } } }).trainingJob.operations.totalCount,
    ),
  ).toEqual([7, 7, 7, 7, 7]);
  expect(h.simulator.requests).toHaveLength(1);
  expect(events.map((e) => e.outcome).sort()).toEqual(['miss', 'shared', 'shared', 'shared', 'shared']);
  // Once answered, nothing is kept: the next request asks again.
  await h.query(QUERY, { id: 'job-complete' });
  expect(h.simulator.requests).toHaveLength(2);
});

it('serves an answered page from the cache within the TTL, and asks again after it', async () => {
  // Not 0: lru-cache takes a start time of 0 for "no TTL".
  let now = 1_000;
  h = await startHarness({ client: { pageCache: cache(300, { now: () => now }) } });
  const first = await h.query(QUERY, { id: 'job-complete' });
  const second = await h.query(QUERY, { id: 'job-complete' });
  expect(second).toEqual(first);
  expect(h.simulator.requests).toHaveLength(1);
  now += 300;
  expect(await h.query(QUERY, { id: 'job-complete' })).toEqual(first);
  expect(h.simulator.requests).toHaveLength(1);
  now += 1;
  await h.query(QUERY, { id: 'job-complete' });
  expect(h.simulator.requests).toHaveLength(2);
});

it('never keeps a failure', async () => {
  h = await startHarness({ client: { pageCache: cache(5000), retries: 0 } });
  h.simulator.inject({ kind: 'status', status: 503 }, { times: 1 });
  expect((await h.query(QUERY, { id: 'job-complete' })).errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  expect((await h.query(QUERY, { id: 'job-complete' })).errors).toBeUndefined();
  expect(h.simulator.requests.map((r) => r.status)).toEqual([503, 200]);
});

it('never serves one tenant another tenant’s page, even from a shared cache', async () => {
  const shared = cache(5000);
  h = await startHarness({ client: { pageCache: shared } });
  await h.query(QUERY, { id: 'job-complete' });
  expect(shared.size).toBe(1);
  // Same endpoint, same project, same window; another AK (one MetaStudio does not accept).
  const other = new MetaStudioClient({
    endpoint: h.simulator.url,
    projectId: h.simulator.projectId,
    credentials: { accessKey: 'AKANOTHERTENANT00000', secretKey: 'another-secret' },
    timeoutMs: 2000,
    concurrency: 2,
    rateLimit: 0,
    pageCache: shared,
  });
  try {
    await expect(other.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 5 })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAUTHORIZED',
    });
    expect(h.simulator.requests.map((r) => r.status)).toEqual([200, 401]);
  } finally {
    await other.close();
  }
});

it('is bounded by entries and by bytes', async () => {
  const byEntries = cache(5000, { maxEntries: 2 });
  h = await startHarness({ client: { pageCache: byEntries } });
  for (const id of ['job-complete', 'job-empty', 'job-drift']) await h.query(QUERY, { id });
  expect(byEntries.size).toBe(2);
  // The least recently used page (job-complete) went first.
  await h.query(QUERY, { id: 'job-complete' });
  expect(h.simulator.requests.map((r) => r.jobId)).toEqual(['job-complete', 'job-empty', 'job-drift', 'job-complete']);
  await h.close();

  const byBytes = cache(5000, { maxBytes: 64 });
  h = await startHarness({ client: { pageCache: byBytes } });
  await h.query(QUERY, { id: 'job-complete' });
  expect(byBytes.size).toBe(0);
});

it("a fresh call (a poller's) skips the cache and the calls in flight, and leaves the cache as it was", async () => {
  h = await startHarness({ client: { pageCache: cache(5000) } });
  const window = { jobId: 'job-complete', offset: 0, limit: 100 };
  await h.client.listOperationLogs(window);
  await Promise.all([
    h.client.listOperationLogs(window, { fresh: true }),
    h.client.listOperationLogs(window, { fresh: true }),
  ]);
  expect(h.simulator.requests).toHaveLength(3);
  await h.client.listOperationLogs(window);
  expect(h.simulator.requests).toHaveLength(3);
});
