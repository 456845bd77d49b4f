// Job leases on a real redis-server, several replicas (one link each): one
// holder per job, renewed while it claims, taken over once it lapses, and the
// cluster's count of polled jobs. Leases are short so lapses are quick; the
// tests only wait at least so long, never at most.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { JobLeases, jobKeys } from '../../src/cluster/jobLease.js';
import { DOWN } from '../../src/cluster/redisLink.js';
import { useRedis } from '../support/redis.js';

const LEASE_MS = 200;

const redis = useRedis();

async function replicas(count: number): Promise<JobLeases[]> {
  return (await redis.connect(count, { timeoutMs: 2_000 })).map((link) => new JobLeases(link, 'tenant'));
}

const claimed = async (leases: JobLeases, jobId: string, token: string) => {
  const claim = await leases.claim(jobId, token, LEASE_MS, 0);
  if (claim === DOWN) throw new Error('Redis is down');
  return claim;
};

describe('JobLeases', () => {
  it('the first claim takes a free lease; the others are refused while it lasts', async () => {
    const [a, b, c] = await replicas(3);
    expect(await claimed(a!, 'job', 'a')).toMatchObject({ held: true, polled: 1 });
    expect(await claimed(b!, 'job', 'b')).toMatchObject({ held: false, polled: 1 });
    expect(await claimed(c!, 'job', 'c')).toMatchObject({ held: false, polled: 1 });
    // Another job is another lease.
    expect(await claimed(b!, 'other', 'b')).toMatchObject({ held: true, polled: 2 });
    expect(a!.polled).toBe(1);
    expect(b!.polled).toBe(2);
  });

  it('a holder that claims again renews its lease, and keeps it past its first end', async () => {
    const [a, b] = await replicas(2);
    await claimed(a!, 'job', 'a');
    // Renewed for a minute: the first 200 ms no longer bound it.
    expect((await a!.claim('job', 'a', 60_000, 0)) as object).toMatchObject({ held: true });
    expect(await redis.links[0]!.run((r) => r.pttl(jobKeys('tenant', 'job').lease))).toBeGreaterThan(30_000);
    await sleep(LEASE_MS + 50);
    expect((await claimed(b!, 'job', 'b')).held).toBe(false);
    expect((await claimed(a!, 'job', 'a')).held).toBe(true);
  });

  it('a lease its holder stops renewing is taken by another once it lapses, and the count forgets it meanwhile', async () => {
    const [a, b] = await replicas(2);
    await claimed(a!, 'job', 'a');
    expect((await claimed(b!, 'job', 'b')).held).toBe(false);
    await sleep(LEASE_MS + 50);
    expect(await claimed(b!, 'other', 'b')).toMatchObject({ held: true, polled: 1 });
    expect(await claimed(b!, 'job', 'b')).toMatchObject({ held: true, polled: 2 });
    // The old holder's claim now only finds it taken.
    expect((await claimed(a!, 'job', 'a')).held).toBe(false);
  });

  it('a released lease is free at once; a release by another token changes nothing', async () => {
    const [a, b] = await replicas(2);
    await claimed(a!, 'job', 'a');
    await b!.release('job', 'b');
    expect((await claimed(b!, 'job', 'b')).held).toBe(false);
    await a!.release('job', 'a');
    expect(await claimed(b!, 'job', 'b')).toMatchObject({ held: true, polled: 1 });
  });

  it('returns the last state unless the caller has its version', async () => {
    const [a] = await replicas(1);
    expect((await claimed(a!, 'job', 'a')).state).toBeNull();
    const state = '{"version":1733000000123456,"status":"CREATED"}';
    await redis.links[0]!.run((r) => r.set(jobKeys('tenant', 'job').state, state));
    expect((await claimed(a!, 'job', 'a')).state).toBe(state);
    expect(await a!.claim('job', 'a', LEASE_MS, 1733000000123456)).toMatchObject({ state: null });
  });

  it('is DOWN, and its count unknown, while Redis does not answer', async () => {
    const [a] = await replicas(1);
    await claimed(a!, 'job', 'a');
    redis.pause();
    try {
      const [link] = await redis.connect(1, { keyPrefix: 'p:', timeoutMs: 100 });
      const frozen = new JobLeases(link!, 'tenant');
      expect(await frozen.claim('job', 'x', LEASE_MS, 0)).toBe(DOWN);
      expect(frozen.polled).toBeNull();
    } finally {
      redis.resume();
    }
  });
});
