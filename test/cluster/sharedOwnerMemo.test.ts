// The owner memo shared by replicas through a real redis-server: what one replica
// decided, another reads for the time left, under hashed keys; with Redis down
// each remembers on its own. Then three server processes: a job check made on one
// is not made again on another.
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedOwnerMemo } from '../../src/cluster/sharedOwnerMemo.js';
import { useRedis } from '../support/redis.js';
import { startReplicas, type Replica, type Replicas } from '../support/replicas.js';
import { TEST_SECRETS } from '../support/secrets.js';

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

describe('three replicas and one redis-server', () => {
  const redis = useRedis();
  let cluster: Replicas | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('do not repeat on one replica a job check another made within the TTL, owner or refusal', async () => {
    cluster = await startReplicas({
      count: 3,
      redisUrl: redis.url,
      env: {
        AUTH_MODE: 'jwt',
        AUTH_JWT_SECRET: TEST_SECRETS.authJwtSecret,
        AUTH_APP_USER_CLAIM: 'app_user_id',
        UPSTREAM_CACHE_TTL_MS: '60000',
        // Four processes on a busy machine: a slow reply must not count as Redis being down.
        REDIS_TIMEOUT_MS: '2000',
      },
    });
    const token = await new SignJWT({ app_user_id: 'user-alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(TEST_SECRETS.authJwtSecret));
    const ask = async (replica: Replica, jobId: string) => {
      const response = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ trainingJob(jobId: "${jobId}") { operations(limit: 1) { totalCount } } }` }),
      });
      return (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    };
    const detailsReads = (jobId: string) =>
      cluster!.simulator.requests.filter((r) => r.route === 'job' && r.jobId === jobId).length;
    for (const replica of cluster.replicas) {
      expect((await ask(replica, 'job-complete')).errors).toBeUndefined();
      expect((await ask(replica, 'job-admin-rejected')).errors?.[0]?.extensions?.code).toBe('UPSTREAM_NOT_FOUND');
    }
    expect(detailsReads('job-complete')).toBe(1);
    expect(detailsReads('job-admin-rejected')).toBe(1);
  }, 60_000);
});
