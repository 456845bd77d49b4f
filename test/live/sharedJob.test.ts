// Replicas sharing job pollers (several LiveJobs in this process, each with its
// own Redis link and upstream client) against one simulator and a real
// redis-server. The simulator's clock is the test's, so the job gains an
// operation only when the test says; polls and leases run on real timers with
// short intervals, and nothing waits for at most some time.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobLeases } from '../../src/cluster/jobLease.js';
import { JobRelay } from '../../src/cluster/jobRelay.js';
import { RedisLink } from '../../src/cluster/redisLink.js';
import { ReplicaHeartbeat } from '../../src/cluster/replicaHeartbeat.js';
import { LiveJobs } from '../../src/live/liveJobs.js';
import type { RelayedState } from '../../src/live/sharedJob.js';
import type { LiveSubscription } from '../../src/live/liveSubscription.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient } from '../../src/upstream/client.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { registerSecret } from '../support/runSecrets.js';
import { simulatorClient } from '../support/simulatorClient.js';
import { LIVE_LIFECYCLE } from '../support/liveLifecycle.js';

const STEP_MS = 1_000;

let redis: RedisServer;
let simulator: Simulator;
let clock: number;
let replicas: Replica[] = [];

interface Replica {
  link: RedisLink;
  /** Brings the link back up once Redis answers again, as in the server. */
  heartbeat: ReplicaHeartbeat;
  client: MetaStudioClient;
  live: LiveJobs;
}

beforeAll(async () => {
  redis = await startRedis();
  clock = Date.UTC(2026, 11, 1, 9, 0);
  simulator = await startSimulator({ now: () => clock });
  registerSecret(simulator.credentials.secretKey);
});

afterEach(async () => {
  for (const { link, heartbeat, client, live } of replicas) {
    live.close();
    await heartbeat.stop();
    link.close();
    await client.close();
  }
  replicas = [];
});

afterAll(async () => {
  await simulator.close();
  await redis.kill();
});

async function startReplicas(
  count: number,
  { leaseMs, timeoutMs = 2_000 }: { leaseMs: number; timeoutMs?: number },
): Promise<Replica[]> {
  const keyPrefix = `test-${randomUUID()}:`;
  for (let i = 0; i < count; i++) {
    const link = await RedisLink.connect({ url: redis.url, keyPrefix, timeoutMs, replicaId: randomUUID() });
    const heartbeat = new ReplicaHeartbeat(link, { intervalMs: 100 });
    await heartbeat.start();
    const client = simulatorClient(simulator, { concurrency: 4, rateLimit: 0, retries: 0 });
    const sharing = {
      leases: new JobLeases(link, client.tenant),
      relay: new JobRelay<RelayedState>(link, client.tenant),
    };
    const live = new LiveJobs(client, { pollMs: 50, pollMaxMs: 200, leaseMs, maxPerCaller: 100, sharing });
    replicas.push({ link, heartbeat, client, live });
  }
  return replicas;
}

interface Watcher {
  replica: Replica;
  subscription: LiveSubscription;
  /** Every operation received, in order, first event included. */
  actions: string[];
  /** Resolves once the subscription ends. */
  ended: Promise<'completed' | string>;
}

function watch(replica: Replica, jobId: string): Watcher {
  const subscription = replica.live.subscribe(jobId, randomUUID());
  const actions: string[] = [];
  const ended = (async () => {
    for await (const item of subscription) {
      if ('error' in item) return String(item.error.extensions.code);
      actions.push(...item.event.newOperations.map((op) => op.action ?? '?'));
    }
    return 'completed';
  })();
  return { replica, subscription, actions, ended };
}

/** Until every watcher has received `count` operations. */
async function received(watchers: Watcher[], count: number): Promise<void> {
  while (watchers.some((w) => w.actions.length < count)) await sleep(10);
}

/** Upstream calls each replica's pollers made while its first watcher was subscribed. */
const pollsBy = (watchers: Watcher[]) =>
  replicas.map((replica) => watchers.find((w) => w.replica === replica)?.subscription.pollCalls ?? 0);

const requestsFor = (jobId: string) => simulator.requests.filter((r) => r.jobId === jobId).length;

describe('SharedJob', () => {
  it('three replicas, nine subscribers: one replica polls, and every subscriber gets every operation once, in order', async () => {
    await startReplicas(3, { leaseMs: 2_000 });
    const job = `live-${STEP_MS}-one-poller`;
    const watchers = replicas.flatMap((replica) => [0, 1, 2].map(() => watch(replica, job)));
    for (let step = 1; step < LIVE_LIFECYCLE.length; step++) {
      await received(watchers, step);
      clock += STEP_MS;
    }
    expect(await Promise.all(watchers.map((w) => w.ended))).toEqual(watchers.map(() => 'completed'));
    for (const { actions } of watchers) expect(actions).toEqual(LIVE_LIFECYCLE);

    const polls = pollsBy(watchers);
    expect(polls.filter((calls) => calls > 0)).toHaveLength(1);
    expect(Math.max(...polls)).toBe(requestsFor(job));
    // The polls read on from what was read: no replica read the log from the start again.
    expect(simulator.requests.filter((r) => r.jobId === job && r.offset === '0')).toHaveLength(1);
  });

  it('when the polling replica dies, another takes the lease once it lapses, and polls on from there: nothing missed', async () => {
    await startReplicas(3, { leaseMs: 300 });
    const job = `live-${STEP_MS}-takeover`;
    const watchers = replicas.flatMap((replica) => [0, 1].map(() => watch(replica, job)));
    await received(watchers, 1);
    clock += STEP_MS;
    await received(watchers, 2);

    const holder = replicas[pollsBy(watchers).findIndex((calls) => calls > 0)]!;
    // Dies: no release reaches Redis, no poll the upstream.
    holder.link.close();
    holder.live.close();
    const survivors = watchers.filter((w) => w.replica !== holder);
    const polledBefore = pollsBy(survivors);

    for (let step = 2; step < LIVE_LIFECYCLE.length; step++) {
      clock += STEP_MS;
      await received(survivors, step + 1);
    }
    expect(await Promise.all(survivors.map((w) => w.ended))).toEqual(survivors.map(() => 'completed'));
    for (const { actions } of survivors) expect(actions).toEqual(LIVE_LIFECYCLE);
    // A survivor polled after the death, and from where the dead one had read, not from the start.
    expect(pollsBy(survivors).some((calls, i) => calls > polledBefore[i]!)).toBe(true);
    expect(simulator.requests.filter((r) => r.jobId === job && r.offset === '0')).toHaveLength(1);
  });

  it('with Redis frozen each replica polls for itself; when it answers again they share, and no subscriber misses or repeats an operation', async () => {
    await startReplicas(3, { leaseMs: 300, timeoutMs: 150 });
    const job = `live-${STEP_MS}-outage`;
    const watchers = replicas.flatMap((replica) => [0, 1].map(() => watch(replica, job)));
    await received(watchers, 1);
    clock += STEP_MS;
    await received(watchers, 2);
    const pollsBefore = pollsBy(watchers);

    redis.pause();
    try {
      clock += STEP_MS;
      await received(watchers, 3);
      clock += STEP_MS;
      await received(watchers, 4);
      // Every replica polled for its own subscribers meanwhile.
      expect(pollsBy(watchers).every((calls, i) => calls > pollsBefore[i]!)).toBe(true);
    } finally {
      redis.resume();
    }
    while (!replicas.every(({ link }) => link.up)) await sleep(10);
    // A claim each (every 50 ms) settles who holds the lease.
    await sleep(300);
    clock += STEP_MS;
    await received(watchers, 5);
    // Shared again: from here one replica polls.
    const pollsShared = pollsBy(watchers);
    for (let step = 5; step < LIVE_LIFECYCLE.length; step++) {
      clock += STEP_MS;
      await received(watchers, step + 1);
    }
    expect(await Promise.all(watchers.map((w) => w.ended))).toEqual(watchers.map(() => 'completed'));
    for (const { actions } of watchers) expect(actions).toEqual(LIVE_LIFECYCLE);
    expect(pollsBy(watchers).filter((calls, i) => calls > pollsShared[i]!)).toHaveLength(1);
  });
});
