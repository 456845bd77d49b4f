// CALLER_RATE_LIMIT's buckets: in process on a clock the test moves, and shared
// by several replicas (one link each) on a real redis-server.
import { describe, expect, it } from 'vitest';
import { LocalCallerBudget, SharedCallerBudget } from '../../src/cluster/callerBudget.js';
import { startRedis, useRedis } from '../support/redis.js';

describe('LocalCallerBudget', () => {
  it('gives each caller one second of burst, then says how long until the next token', async () => {
    const clock = { now: 0 };
    const budget = new LocalCallerBudget(4, () => clock.now);
    for (let i = 0; i < 4; i++) expect(await budget.tryTake('alice')).toBe(0);
    expect(await budget.tryTake('alice')).toBe(250);
    expect(await budget.tryTake('bob')).toBe(0);
    clock.now = 250;
    expect(await budget.tryTake('alice')).toBe(0);
  });
});

describe('SharedCallerBudget', () => {
  const redis = useRedis();

  async function replicas(count: number, perSecond: number, url = redis.url): Promise<SharedCallerBudget[]> {
    return (await redis.connect(count, { url })).map(
      (link) => new SharedCallerBudget(link, { perSecond, replicas: { live: count }, now: () => 0 }),
    );
  }

  it('round-robin over replicas draws on one bucket per caller', async () => {
    const budgets = await replicas(3, 5);
    const started = performance.now();
    const answers: number[] = [];
    for (let i = 0; i < 15; i++) answers.push(await budgets[i % 3]!.tryTake('alice'));
    const refills = Math.ceil(((performance.now() - started) / 1000) * 5);
    const granted = answers.filter((wait) => wait === 0).length;
    expect(granted).toBeGreaterThanOrEqual(5);
    expect(granted).toBeLessThanOrEqual(5 + refills);
    // A refusal says when to come back: within one interval (200 ms).
    const refusal = answers.find((wait) => wait > 0)!;
    expect(refusal).toBeLessThanOrEqual(200);
    // Another caller has a bucket of its own.
    expect(await budgets[0]!.tryTake('bob')).toBe(0);
  });

  it('with Redis unreachable each replica allows its share of the rate', async () => {
    const gone = await startRedis();
    await gone.stop();
    const [alone] = await replicas(3, 6, gone.url);
    // 6/s over 3 replicas: 2 at once, then one every 500 ms (on the test's clock, which stays still).
    expect(await alone!.tryTake('alice')).toBe(0);
    expect(await alone!.tryTake('alice')).toBe(0);
    expect(await alone!.tryTake('alice')).toBe(500);
  });
});
