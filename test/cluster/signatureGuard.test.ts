// The rejected-signature guard: in process on a clock the test moves, and shared
// by several replicas (one link each) on a real redis-server.
import { describe, expect, it } from 'vitest';
import { SharedSignatureGuard } from '../../src/cluster/signatureGuard.js';
import { LocalSignatureGuard, type SignatureGuard } from '../../src/upstream/signatureGuard.js';
import { startRedis, useRedis } from '../support/redis.js';

describe('LocalSignatureGuard', () => {
  function guard() {
    const clock = { now: 0 };
    return { clock, guard: new LocalSignatureGuard({ cooldownMs: 1_000, now: () => clock.now }) };
  }

  it('opens at the third rejection in a row, for the cooldown', async () => {
    const { guard: g, clock } = guard();
    await g.rejected();
    await g.rejected();
    expect(await g.check()).toBe(0);
    await g.rejected();
    expect(await g.check()).toBe(1_000);
    clock.now = 400;
    expect(await g.check()).toBe(600);
  });

  it('an accepted signature starts the count over', async () => {
    const { guard: g } = guard();
    await g.rejected();
    await g.rejected();
    await g.accepted();
    await g.rejected();
    await g.rejected();
    expect(await g.check()).toBe(0);
  });

  it('after the cooldown lets one probe through; its rejection reopens at once, its acceptance closes', async () => {
    const { guard: g, clock } = guard();
    for (let i = 0; i < 3; i++) await g.rejected();
    clock.now = 1_000;
    expect(await g.check()).toBe(0);
    // The others wait for the probe.
    expect(await g.check()).toBe(1_000);
    // Rejected at 1 000: open until 2 000.
    await g.rejected();
    clock.now = 1_500;
    expect(await g.check()).toBe(500);
    clock.now = 2_000;
    expect(await g.check()).toBe(0);
    await g.accepted();
    expect(await g.check()).toBe(0);
    expect(await g.check()).toBe(0);
  });
});

describe('SharedSignatureGuard', () => {
  const redis = useRedis();

  async function replicas(count: number, cooldownMs: number, identity = 'tenant'): Promise<SignatureGuard[]> {
    return (await redis.connect(count)).map((link) => new SharedSignatureGuard(link, identity, { cooldownMs }));
  }

  it('counts rejections across replicas: the third anywhere opens it everywhere', async () => {
    const [a, b, c] = await replicas(3, 60_000);
    await a!.rejected();
    await b!.rejected();
    expect(await c!.check()).toBe(0);
    await c!.rejected();
    for (const guard of [a, b, c]) {
      const left = await guard!.check();
      expect(left).toBeGreaterThan(59_000);
      expect(left).toBeLessThanOrEqual(60_000);
    }
  });

  it('an acceptance on any replica starts the count over for all', async () => {
    const [a, b] = await replicas(2, 60_000);
    await a!.rejected();
    await a!.rejected();
    await b!.accepted();
    await a!.rejected();
    await b!.rejected();
    expect(await a!.check()).toBe(0);
    expect(await b!.check()).toBe(0);
  });

  it('after the cooldown one replica gets the probe and the others keep waiting', async () => {
    const [a, b, c] = await replicas(3, 50);
    for (const guard of [a, b, c]) await guard!.rejected();
    while ((await a!.check()) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // a holds the probe: b and c are refused until it settles or the cooldown passes again.
    expect(await b!.check()).toBeGreaterThan(0);
    expect(await c!.check()).toBeGreaterThan(0);
    await a!.accepted();
    expect(await b!.check()).toBe(0);
    expect(await c!.check()).toBe(0);
  });

  it('another identity has a count of its own', async () => {
    const [link] = await redis.connect(1);
    const one = new SharedSignatureGuard(link!, 'one', { cooldownMs: 60_000 });
    const two = new SharedSignatureGuard(link!, 'two', { cooldownMs: 60_000 });
    for (let i = 0; i < 3; i++) await one.rejected();
    expect(await one.check()).toBeGreaterThan(0);
    expect(await two.check()).toBe(0);
  });

  it('a replica that cannot reach Redis counts on its own', async () => {
    const [a] = await replicas(1, 60_000);
    await a!.rejected();
    await a!.rejected();
    const gone = await startRedis();
    await gone.stop();
    const [cut] = await redis.connect(1, { url: gone.url, keyPrefix: 'cut:' });
    const b = new SharedSignatureGuard(cut!, 'tenant', { cooldownMs: 60_000 });
    // b has seen none of a's: two rejections of its own do not open it, the third does.
    await b.rejected();
    await b.rejected();
    expect(await b.check()).toBe(0);
    await b.rejected();
    expect(await b.check()).toBeGreaterThan(0);
    // The shared count is a's alone.
    expect(await a!.check()).toBe(0);
    await a!.rejected();
    expect(await a!.check()).toBeGreaterThan(0);
  });

  it('a frozen Redis costs one timeout, then the replica counts on its own', async () => {
    const [a] = await replicas(1, 60_000);
    redis.pause();
    try {
      for (let i = 0; i < 3; i++) await a!.rejected();
      expect(await a!.check()).toBeGreaterThan(0);
    } finally {
      redis.resume();
    }
  });
});
