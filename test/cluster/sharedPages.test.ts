// The shared page level on a real redis-server: several replicas (one link each)
// asking for the same page at once cost one load, and a page kept by one is a
// hit for the others.
import { describe, expect, it } from 'vitest';
import { clusterEvents, type SharedPageEvent } from '../../src/cluster/events.js';
import { SharedPages } from '../../src/cluster/sharedPages.js';
import type { OpLogPage } from '../../src/upstream/opLogPage.js';
import { PageCache } from '../../src/upstream/pageCache.js';
import { startRedis, useRedis } from '../support/redis.js';

const redis = useRedis();

async function replicas(
  count: number,
  { ttlMs = 5_000, waitMs = 5_000, url = redis.url } = {},
): Promise<SharedPages[]> {
  return (await redis.connect(count, { url })).map((link) => new SharedPages(link, { ttlMs, waitMs }));
}

const page = (action: string): OpLogPage => ({
  count: 1,
  operations: [{ time: 1, action, operator: null, externalInfo: null }],
});

/** A load the test finishes by hand, counting how often it was started. */
function manualLoad() {
  let finish!: (result: OpLogPage | Error) => void;
  const loads = { count: 0 };
  const settled = new Promise<OpLogPage | Error>((resolve) => (finish = resolve));
  const load = async () => {
    loads.count += 1;
    const result = await settled;
    if (result instanceof Error) throw result;
    return result;
  };
  return { load, loads, finish };
}

describe('SharedPages', () => {
  it('a page loaded through one replica is a hit on the others, with the time it has left', async () => {
    const [a, b] = await replicas(2, { ttlMs: 60_000 });
    const first = await a!.get('k', async () => page('from-a'));
    expect(first).toEqual({ page: page('from-a'), ttlMs: 60_000 });
    const loads = { count: 0 };
    const hit = await b!.get('k', async () => {
      loads.count += 1;
      return page('from-b');
    });
    expect(loads.count).toBe(0);
    expect(hit.page).toEqual(page('from-a'));
    expect(hit.ttlMs).toBeGreaterThan(0);
    expect(hit.ttlMs).toBeLessThanOrEqual(60_000);
  });

  it('the same page asked on three replicas at once is loaded once', async () => {
    const [a, b, c] = await replicas(3);
    const { load, loads, finish } = manualLoad();
    const events: SharedPageEvent[] = [];
    const off = clusterEvents.sharedPage.subscribe((event) => events.push(event));
    const asked = [a, b, c].map((pages) => pages!.get('k', load));
    // Let every replica reach Redis before the load ends.
    while (loads.count === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    finish(page('once'));
    const answers = await Promise.all(asked);
    off();
    expect(loads.count).toBe(1);
    // One fetched; the others waited for it (or, had they come late, found it kept).
    expect(events.filter((e) => e.outcome === 'fetched')).toHaveLength(1);
    expect(events.filter((e) => e.outcome === 'alone')).toHaveLength(0);
    for (const answer of answers) expect(answer.page).toEqual(page('once'));
  });

  it('a failed load is kept nowhere: its error goes to its caller, and the waiters load for themselves', async () => {
    const [a, b] = await replicas(2);
    const failing = manualLoad();
    const first = a!.get('k', failing.load);
    while (failing.loads.count === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let bLoads = 0;
    const second = b!.get('k', async () => {
      bLoads += 1;
      return page('b-itself');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    failing.finish(new Error('upstream said no'));
    await expect(first).rejects.toThrow('upstream said no');
    expect((await second).page).toEqual(page('b-itself'));
    expect(bLoads).toBe(1);
  });

  it('waiters stop waiting once the lock lapses, and load for themselves', async () => {
    const [a, b] = await replicas(2, { waitMs: 100 });
    const stuck = manualLoad();
    void a!.get('k', stuck.load).catch(() => {});
    while (stuck.loads.count === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await b!.get('k', async () => page('b-itself'))).page).toEqual(page('b-itself'));
    stuck.finish(page('late'));
  });

  it('behind the in-process cache, a page read from Redis is kept there only for the time it has left', async () => {
    const [a, b] = await replicas(2, { ttlMs: 100 });
    // In-process TTLs far longer than Redis's, to see which one counts.
    const [cacheA, cacheB] = [a, b].map(
      (shared) => new PageCache({ ttlMs: 60_000, maxEntries: 10, maxBytes: 1 << 20 }, shared!),
    );
    let loads = 0;
    const load = async () => {
      loads += 1;
      return page(`load-${loads}`);
    };
    await cacheA!.get('k', load);
    expect(await cacheB!.get('k', load)).toEqual(page('load-1'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await cacheB!.get('k', load)).toEqual(page('load-2'));
    expect(loads).toBe(2);
  });

  it('keys are kept apart: another key (another tenant, job or window) is another page', async () => {
    const [a] = await replicas(1);
    await a!.get(JSON.stringify(['tenant-1', 'job', 0, 10]), async () => page('one'));
    const other = await a!.get(JSON.stringify(['tenant-2', 'job', 0, 10]), async () => page('two'));
    expect(other.page).toEqual(page('two'));
  });

  it('with Redis unreachable every replica loads for itself', async () => {
    const gone = await startRedis();
    await gone.stop();
    const [a, b] = await replicas(2, { url: gone.url });
    let loads = 0;
    const load = async () => {
      loads += 1;
      return page('alone');
    };
    await Promise.all([a!.get('k', load), b!.get('k', load)]);
    expect(loads).toBe(2);
  });
});
