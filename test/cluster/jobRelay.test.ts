// The relay of pollers' states on a real redis-server: what the lease's holder
// publishes reaches every replica's subscribers, stamped with a version that
// grows, and is kept as the job's last state; a replica without the lease cannot
// publish; Redis down is an answer, never a crash.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JobLeases, jobKeys } from '../../src/cluster/jobLease.js';
import { JobRelay, LOST, type RelayMessage } from '../../src/cluster/jobRelay.js';
import type { RelayedState } from '../../src/live/sharedJob.js';
import { DOWN, RedisLink } from '../../src/cluster/redisLink.js';
import { useRedis } from '../support/redis.js';

const redis = useRedis();

interface Replica {
  link: RedisLink;
  leases: JobLeases;
  relay: JobRelay<RelayedState>;
}

async function replicas(count: number, timeoutMs = 2_000): Promise<Replica[]> {
  return (await redis.connect(count, { timeoutMs })).map((link) => ({
    link,
    leases: new JobLeases(link, 'tenant'),
    relay: new JobRelay<RelayedState>(link, 'tenant'),
  }));
}

const state = (count: number): RelayedState => ({
  snapshot: {
    jobId: 'job',
    count,
    segments: [
      {
        offset: 0,
        operations: Array.from({ length: count }, (_, i) => ({
          time: i,
          action: 'COMMIT_JOB',
          operator: 'USER',
          externalInfo: null,
        })),
      },
    ],
  },
  status: 'IN_REVIEW',
});

/** Collects what a subscription receives, and waits until it has `count`. */
function collect(messages: AsyncIterableIterator<RelayMessage<RelayedState>>) {
  const received: RelayMessage<RelayedState>[] = [];
  const waiters: (() => void)[] = [];
  void (async () => {
    for await (const message of messages) {
      received.push(message);
      for (const wake of waiters.splice(0)) wake();
    }
  })();
  return {
    received,
    async until(count: number) {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

/** Until Redis has registered `count` subscriptions to the job's channel. */
async function subscribed(link: RedisLink, count: number): Promise<void> {
  const channel = `${link.keyPrefix}${jobKeys('tenant', 'job').channel}`;
  for (;;) {
    const answer = await link.run((r) => r.pubsub('NUMSUB', channel));
    if (answer !== DOWN && Number(answer[1]) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('JobRelay', () => {
  it("the holder's states reach every replica in order, versioned, and the last one is kept", async () => {
    const [a, b, c] = await replicas(3);
    const onB = collect(b!.relay.subscribe('job'));
    const onC = collect(c!.relay.subscribe('job'));
    await subscribed(a!.link, 2);
    await a!.leases.claim('job', 'a', 10_000, 0);

    const versions = [];
    for (const count of [1, 2, 3]) versions.push(await a!.relay.publish('job', 'a', state(count), 10_000));
    await onB.until(3);
    await onC.until(3);
    for (const { received } of [onB, onC]) {
      expect(received.map((m) => ('snapshot' in m ? m.snapshot.count : -1))).toEqual([1, 2, 3]);
      expect(received.map((m) => m.version)).toEqual(versions);
    }
    expect(versions[0]).toBeLessThan(versions[1] as number);
    expect(versions[1]).toBeLessThan(versions[2] as number);

    // The last state is what a claim hands a replica that has not seen it.
    const claim = await b!.leases.claim('job', 'b', 10_000, 0);
    expect(claim !== DOWN && JSON.parse(claim.state!)).toEqual({ version: versions[2], ...state(3) });
  });

  it('a replica without the lease cannot publish: LOST, and nothing is sent or kept', async () => {
    const [a, b] = await replicas(2);
    const onA = collect(a!.relay.subscribe('job'));
    await subscribed(a!.link, 1);
    await a!.leases.claim('job', 'a', 10_000, 0);
    expect(await b!.relay.publish('job', 'b', state(5), 10_000)).toBe(LOST);
    const version = await a!.relay.publish('job', 'a', state(1), 10_000);
    await onA.until(1);
    expect(onA.received.map((m) => m.version)).toEqual([version]);
    const claim = await b!.leases.claim('job', 'b', 10_000, 0);
    expect(claim !== DOWN && JSON.parse(claim.state!).snapshot.count).toBe(1);
  });

  it('an end reaches the others but is not kept as the last state', async () => {
    const [a, b] = await replicas(2);
    const onB = collect(b!.relay.subscribe('job'));
    await subscribed(a!.link, 1);
    await a!.leases.claim('job', 'a', 10_000, 0);
    await a!.relay.publish('job', 'a', state(1), 10_000);
    await a!.relay.publish('job', 'a', { error: { message: 'gone', extensions: { code: 'UPSTREAM_NOT_FOUND' } } }, 0);
    await onB.until(2);
    expect(onB.received[1]).toMatchObject({ error: { message: 'gone', extensions: { code: 'UPSTREAM_NOT_FOUND' } } });
    const claim = await b!.leases.claim('job', 'b', 10_000, 0);
    expect(claim !== DOWN && JSON.parse(claim.state!).snapshot.count).toBe(1);
  });

  it('is DOWN while Redis does not answer', async () => {
    const [a] = await replicas(1, 100);
    await a!.leases.claim('job', 'a', 10_000, 0);
    await redis.stop();
    try {
      expect(await a!.relay.publish('job', 'a', state(1), 10_000)).toBe(DOWN);
    } finally {
      await redis.restart();
    }
  });

  it('closing while its subscriptions are still queued fails no promise unhandled', async () => {
    const link = await RedisLink.connect({
      url: redis.url,
      keyPrefix: 'q:',
      timeoutMs: 2_000,
      replicaId: randomUUID(),
    });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      // Its subscribing connection is still connecting: the subscription waits in its queue, and closing fails it.
      const relay = new JobRelay<RelayedState>(link, 'tenant');
      void relay.subscribe('job').next();
      link.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
