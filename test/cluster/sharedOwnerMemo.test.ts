// The owner memo shared by replicas through a real redis-server: what one replica
// decided, another reads for the time left, under hashed keys; with Redis down
// each remembers on its own.
import { describe, expect, it } from 'vitest';
import { SharedOwnerMemo } from '../../src/cluster/sharedOwnerMemo.js';
import { useRedis } from '../support/redis.js';

describe('SharedOwnerMemo', () => {
  const redis = useRedis();

  it('answers on another replica what one remembered, until its TTL ends', async () => {
    const [one, two] = await redis.connect(2);
    const first = new SharedOwnerMemo(one!, 'tenant');
    const second = new SharedOwnerMemo(two!, 'tenant');
    await first.set('alice', 'job-1', 'owner', 60_000);
    await first.set('bob', 'job-1', 'foreign', 5_000);
    expect(await second.get('alice', 'job-1')).toBe('owner');
    expect(await second.get('bob', 'job-1')).toBe('foreign');
    expect(await second.get('carol', 'job-1')).toBeUndefined();
    // Another tenant's memo is another.
    expect(await new SharedOwnerMemo(two!, 'other-tenant').get('alice', 'job-1')).toBeUndefined();
    // Each entry for its own TTL, in Redis.
    const ttls = await Promise.all(
      (await one!.publisher().keys(`${one!.keyPrefix}*`)).map((key) =>
        one!.publisher().pttl(key.slice(one!.keyPrefix.length)),
      ),
    );
    expect(ttls.sort((a, b) => a - b)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(ttls[0]).toBeGreaterThan(0);
    expect(ttls[0]).toBeLessThanOrEqual(5_000);
    expect(ttls[1]).toBeGreaterThan(5_000);
  });

  it('keeps app user ids and job ids out of the key space', async () => {
    const [link] = await redis.connect(1);
    await new SharedOwnerMemo(link!, 'tenant').set('alice-secret-id', 'job-1', 'owner', 60_000);
    const keys = await link!.publisher().keys(`${link!.keyPrefix}*`);
    expect(keys.join()).not.toMatch(/alice|job-1/);
    expect(keys.some((key) => /owner:[0-9a-f]{64}$/.test(key))).toBe(true);
  });

  it('remembers in process while Redis is down', async () => {
    const [link] = await redis.connect(1, { url: 'redis://127.0.0.1:1' });
    const memo = new SharedOwnerMemo(link!, 'tenant');
    await memo.set('alice', 'job-1', 'owner', 60_000);
    expect(await memo.get('alice', 'job-1')).toBe('owner');
    expect(link!.up).toBe(false);
  });
});
