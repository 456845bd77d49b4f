// One tenant budget for several replicas (one link each) on a real redis-server,
// and what each replica does on its own when that server stops or freezes.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisState } from '../../src/cluster/clusterState.js';
import { DOWN, RedisLink } from '../../src/cluster/redisLink.js';
import { SharedTenantBudget } from '../../src/cluster/tenantBudget.js';
import { startSimulator } from '../../src/simulator/simulator.js';
import type { UpstreamError } from '../../src/upstream/errors.js';
import { upstreamEvents, type RateLimitWaitEvent } from '../../src/upstream/events.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { simulatorClient } from '../support/simulatorClient.js';

let redis: RedisServer;
let links: RedisLink[];
let keyPrefix: string;

beforeEach(async () => {
  redis = await startRedis();
  links = [];
  keyPrefix = `test-${randomUUID()}:`;
});

afterEach(async () => {
  for (const link of links) link.close();
  await redis.kill();
});

interface Replica {
  link: RedisLink;
  budget: SharedTenantBudget;
  clock: { now: number };
}

async function replica(ratePerSecond: number, live = 1, key = 'budget:tenant'): Promise<Replica> {
  const link = await RedisLink.connect({ url: redis.url, keyPrefix, timeoutMs: 250, replicaId: randomUUID() });
  links.push(link);
  const clock = { now: 0 };
  return {
    link,
    clock,
    budget: new SharedTenantBudget(link, { key, ratePerSecond, replicas: { live }, now: () => clock.now }),
  };
}

/**
 * Fills the replica's shared bucket: Redis does not have it yet, so it starts
 * empty; one token, then a second, and it holds one second of tokens.
 */
async function primed(r: Replica, ratePerSecond: number): Promise<Replica> {
  expect(await r.budget.take(60_000)).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 1_000 + 1_000 / ratePerSecond + 20));
  return r;
}

/** Tokens `replica` gets without waiting before the first refusal. */
async function drain({ budget }: Replica): Promise<number> {
  let granted = 0;
  while ((await budget.take(0)) === 0) granted++;
  return granted;
}

/** Tokens Redis may have refilled (at `ratePerSecond`) while `run` ran, on the real clock. */
async function withRefills<T>(ratePerSecond: number, run: () => Promise<T>): Promise<{ result: T; refills: number }> {
  const started = performance.now();
  const result = await run();
  return { result, refills: Math.ceil(((performance.now() - started) / 1000) * ratePerSecond) };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('SharedTenantBudget', () => {
  it('replicas share one bucket: one second of burst between them, not one each', async () => {
    const [a, b, c] = [await replica(10), await replica(10), await replica(10)];
    // Each replica takes a token and waits a full second: had each a bucket of its own, all three would now be full.
    for (const r of [a, b, c]) expect(await r!.budget.take(60_000)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000 + 3 * 100 + 20));
    const { result, refills } = await withRefills(10, async () => [await drain(a!), await drain(b!), await drain(c!)]);
    // One replica drains the one bucket; the others get only what refilled meanwhile.
    expect(result[0]).toBeGreaterThanOrEqual(10);
    expect(result[1]! + result[2]!, `b and c got ${result[1]} and ${result[2]}`).toBeLessThanOrEqual(refills);
    expect(result[0]! + result[1]! + result[2]!).toBeLessThanOrEqual(10 + refills);
  });

  it('tells the wait up front and refuses one beyond the limit without taking a token', async () => {
    const [a, b] = [await primed(await replica(20), 20), await replica(20)];
    await drain(a);
    const drained = performance.now();
    // Empty: the next token is about 50 ms away, for whichever replica asks.
    expect(await b.budget.take(0)).toBeNull();
    const waited = await b.budget.take(5_000);
    // On a loaded machine 50 ms may pass before Redis is asked: a token may then be there already.
    if (performance.now() - drained < 50) expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(50);
    // Refusals took nothing: the next one waits at most one interval more.
    const next = await a.budget.take(5_000);
    expect(next).toBeLessThanOrEqual(100);
    if (performance.now() - drained < 100) expect(next).toBeGreaterThan(0);
  });

  it('tells any replica how long the nth caller would wait, taking nothing', async () => {
    const [a, b] = [await primed(await replica(10), 10), await replica(10)];
    expect(await b.budget.waitMs(10)).toBe(0);
    const eleventh = await b.budget.waitMs(11);
    expect(eleventh).toBeGreaterThan(0);
    expect(eleventh).toBeLessThanOrEqual(100);
    await drain(a);
    // Empty: three callers queued ahead leave the fourth three intervals behind the next, whoever asks.
    const fourth = await b.budget.waitMs(4);
    const next = await a.budget.waitMs(1);
    expect(fourth).toBeLessThanOrEqual(400);
    expect(fourth - next).toBeGreaterThanOrEqual(299);
    // Asking took nothing: the next token is still at most one interval away.
    expect(next).toBeLessThanOrEqual(100);
  });

  it('with Redis down, waitMs reads the bucket of its own', async () => {
    const a = await replica(30, 3);
    await redis.stop();
    // Empty at the switch, 10/s: the next token 100 ms away, the third 300 ms.
    expect(await a.budget.waitMs(3)).toBe(300);
    expect(a.link.up).toBe(false);
    a.clock.now = 100;
    expect(await a.budget.waitMs(1)).toBe(0);
    expect(await a.budget.take(0)).toBe(0);
    expect(await a.budget.waitMs(1)).toBe(100);
  });

  it('credentials of another tenant have a bucket of their own', async () => {
    const [a, other] = await Promise.all([
      replica(5).then((r) => primed(r, 5)),
      replica(5, 1, 'budget:other-tenant').then((r) => primed(r, 5)),
    ]);
    expect(await drain(a)).toBeGreaterThanOrEqual(5);
    expect(await drain(other)).toBeGreaterThanOrEqual(5);
  });

  it('with Redis stopped, each replica has its share of the rate, from an empty bucket', async () => {
    const a = await replica(30, 3);
    await redis.stop();
    // Empty at the switch: no burst.
    expect(await a.budget.take(0)).toBeNull();
    expect(a.link.up).toBe(false);
    // 30/s over the 3 replicas last seen: one token every 100 ms here, and one second of them at most.
    a.clock.now = 99;
    expect(await a.budget.take(0)).toBeNull();
    a.clock.now = 100;
    expect(await a.budget.take(0)).toBe(0);
    a.clock.now = 10_000;
    expect(await drain(a)).toBe(10);
  });

  it('a frozen Redis costs one timeout, then the replica goes on alone', async () => {
    const a = await replica(10, 2);
    redis.pause();
    expect(await a.budget.take(0)).toBeNull();
    expect(a.link.up).toBe(false);
    a.clock.now = 200;
    expect(await a.budget.take(0)).toBe(0);
    redis.resume();
  });

  it('the bucket of its own starts behind the calls this replica already scheduled through Redis', async () => {
    const a = await replica(10, 1);
    await drain(a);
    const drained = await a.link.run((r) => r.get('budget:tenant'));
    // Scheduled through Redis about 100 ms from now (and sleeping until then).
    const scheduled = a.budget.take(5_000);
    await until(async () => (await a.link.run((r) => r.get('budget:tenant'))) !== drained);
    await redis.stop();
    expect(await a.budget.take(0)).toBeNull();
    // An empty bucket alone would grant at 100 ms; the one already scheduled goes first.
    a.clock.now = 100;
    expect(await a.budget.take(0)).toBeNull();
    a.clock.now = 200;
    expect(await a.budget.take(0)).toBe(0);
    expect(await scheduled).toBeGreaterThan(0);
  });

  it('a bucket Redis does not have starts empty: after a restart the last second is not known', async () => {
    const a = await primed(await replica(10), 10);
    await redis.restart();
    await until(async () => (await a.link.attempt((r) => r.ping())) !== DOWN);
    expect(await a.budget.take(0)).toBeNull();
    // Empty, not full: the next token is one interval away.
    const waited = await a.budget.take(5_000);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(100);
  });

  it('back in shared mode, the calls its own bucket still holds are charged to the shared one', async () => {
    const a = await replica(10, 5);
    await redis.stop();
    expect(await a.budget.take(0)).toBeNull();
    // Three calls queued on a's own bucket (2/s from empty, on the test's clock: 500 ms apart).
    const queued = Array.from({ length: 3 }, () => a.budget.take(2_000));
    await redis.restart();
    await until(async () => (await a.link.attempt((r) => r.ping())) !== DOWN);
    // Redis restarted empty; a's next call hands over its 3 queued ones: it waits for
    // one second of burst, 3 intervals of debt and its own interval, instead of 1 interval.
    const waited = await a.budget.take(5_000);
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThanOrEqual(401);
    expect(await Promise.all(queued)).toEqual([500, 1000, 1500]);
  });
});

describe('MetaStudioClient on the shared budget', () => {
  it('a call that finds every slot taken asks Redis how long its token would take, and fails at once when too long', async () => {
    const simulator = await startSimulator();
    const state = await RedisState.connect({ url: redis.url, keyPrefix, timeoutMs: 250 });
    const client = simulatorClient(simulator, {
      timeoutMs: 10_000,
      cluster: state,
      concurrency: 1,
      rateLimit: 5,
      queueTimeoutMs: 1_000,
    });
    const refusals: RateLimitWaitEvent[] = [];
    const stop = upstreamEvents.rateLimitWait.subscribe((event) => event.outcome === 'timeout' && refusals.push(event));
    let release!: () => void;
    simulator.inject(
      { kind: 'hold', until: new Promise<void>((resolve) => (release = resolve)) },
      { jobId: 'job-complete', times: 1 },
    );
    try {
      let heldAnswered = false;
      const held = client
        .listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 })
        .finally(() => (heldAnswered = true));
      await until(async () => simulator.peakInFlight >= 1);
      // 30 calls behind the held one, 200 ms of shared budget apart: at most about 1 s of them can be sent in time.
      const queued = Array.from({ length: 30 }, (_, i) =>
        client.listOperationLogs({ jobId: `queued-${i}`, offset: 0, limit: 1 }).catch((e: UpstreamError) => e),
      );
      // Refused while the slot is still held: they did not wait for it.
      await until(async () => refusals.length >= 15);
      expect(heldAnswered).toBe(false);
      release();
      expect((await held).count).toBe(7);
      const outcomes = (await Promise.all(queued)) as UpstreamError[];
      // These jobs do not exist at the simulator: a call that was sent got a 404.
      const sent = outcomes.filter((e) => e.code === 'UPSTREAM_NOT_FOUND');
      const refused = outcomes.filter((e) => e.code === 'UPSTREAM_THROTTLED');
      expect(sent.length + refused.length).toBe(30);
      expect(refused.filter((e) => /and the \d+ queued before it/.test(e.message)).length).toBeGreaterThanOrEqual(15);
      expect(simulator.requests).toHaveLength(1 + sent.length);
    } finally {
      release();
      stop();
      await client.close();
      await state.close();
      await simulator.close();
    }
  });
});
