// One poller per job for three replicas as separate server processes, one
// simulator (in this process, on the test's clock) and one real redis-server:
// 3 × 10 subscribers over SSE to one live job cost one poller's calls, each
// gets every operation once and in order, and when the polling replica is
// killed (SIGKILL) another takes the poll over and its subscribers miss nothing.
// Counted at the simulator and in the replicas' /metrics.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startReplicas, type Replica, type Replicas } from '../support/replicas.js';
import { LIVE_LIFECYCLE } from '../support/liveLifecycle.js';

const POLL_MS = 100;
const POLL_MAX_MS = 400;
const STEP_MS = 1_000;
const JOB = `live-${STEP_MS}-cluster`;
// Each event's job is resolved too: on a replica that does not poll, it must cost no call.
const EVENTS = `subscription { trainingJobEvents(jobId: "${JOB}") { totalCount newOperations { action } job { status latestOperation { action } } } }`;

let clock = Date.UTC(2026, 11, 1, 9, 0);
let redis: RedisServer;
let cluster: Replicas;

beforeAll(async () => {
  redis = await startRedis();
  cluster = await startReplicas({
    count: 3,
    redisUrl: redis.url,
    simulator: { now: () => clock },
    env: {
      SUBSCRIPTION_POLL_MS: String(POLL_MS),
      SUBSCRIPTION_POLL_MAX_MS: String(POLL_MAX_MS),
      SUBSCRIPTION_MAX_PER_CALLER: '20',
      // Four processes on a busy machine can leave a reply unread for 250 ms: not an outage here.
      REDIS_TIMEOUT_MS: '2000',
    },
  });
  // A replica whose first connection took too long starts on its own, and joins at its next heartbeat.
  const mode = async (replica: Replica) =>
    ((await (await fetch(`${replica.origin}/readyz`)).json()) as { mode: string }).mode;
  while ((await Promise.all(cluster.replicas.map(mode))).some((m) => m !== 'shared')) await sleep(50);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await redis?.kill();
});

interface Watcher {
  replica: Replica;
  actions: string[];
  /** Resolves with 'completed', or with the failure that ended the stream. */
  ended: Promise<string>;
}

function watch(replica: Replica): Watcher {
  const actions: string[] = [];
  const events = createClient({ url: replica.url, retryAttempts: 0 }).iterate<{
    trainingJobEvents: { newOperations: { action: string }[]; job: { latestOperation: { action: string } } };
  }>({ query: EVENTS });
  const ended = (async () => {
    try {
      for await (const result of events) {
        if (result.errors) return JSON.stringify(result.errors);
        const event = result.data!.trainingJobEvents;
        actions.push(...event.newOperations.map((op) => op.action));
        if (event.job.latestOperation.action !== actions.at(-1))
          return `job saw ${event.job.latestOperation.action} after ${actions.at(-1)}`;
      }
      return 'completed';
    } catch (error) {
      return String(error);
    }
  })();
  return { replica, actions, ended };
}

async function received(watchers: Watcher[], count: number): Promise<void> {
  while (watchers.some((w) => w.actions.length < count)) await sleep(20);
}

/** Polls each replica's job pollers made, from its /metrics. */
async function polls(replica: Replica): Promise<number> {
  const text = await (await fetch(`${replica.origin}/metrics`)).text();
  let sum = 0;
  for (const match of text.matchAll(/^metastudio_subscription_polls_total\{[^}]*\} (\d+)$/gm)) sum += Number(match[1]);
  return sum;
}

const jobRequests = () => cluster.simulator.requests.filter((r) => r.jobId === JOB);

describe('one poller per job across replica processes', () => {
  it('3 × 10 subscribers cost one poller; killing it moves the poll to another, and no subscriber misses an operation', async () => {
    // A first subscription on each replica (to a completed job: one event, then
    // the end) loads what serving one takes, so no replica stalls under the
    // test's load while it holds a lease.
    await Promise.all(
      cluster.replicas.map(async (replica) => {
        for await (const _ of createClient({ url: replica.url, retryAttempts: 0 }).iterate({
          query: EVENTS.replace(JOB, 'job-complete'),
        }));
      }),
    );
    const warmUp = await Promise.all(cluster.replicas.map(polls));
    const watchers = cluster.replicas.flatMap((replica) => Array.from({ length: 10 }, () => watch(replica)));
    await received(watchers, 1);
    clock += STEP_MS;
    await received(watchers, 2);

    const before = (await Promise.all(cluster.replicas.map(polls))).map((n, i) => n - warmUp[i]!);
    // One replica polls; its polls are all the simulator saw (give or take one under way).
    expect(before.filter((n) => n > 0)).toHaveLength(1);
    const holder = cluster.replicas[before.findIndex((n) => n > 0)]!;
    const holderPolls = Math.max(...before);
    expect(jobRequests().length - holderPolls).toBeGreaterThanOrEqual(0);
    expect(jobRequests().length - holderPolls).toBeLessThanOrEqual(1);

    const lastBeforeKill = jobRequests().at(-1)!.receivedAt;
    // How late the holder's polls ran past SUBSCRIPTION_POLL_MAX_MS on this machine: the survivors run as late.
    const beforeKill = jobRequests().map((r) => r.receivedAt);
    const lateness = Math.max(0, ...beforeKill.slice(1).map((t, i) => t - beforeKill[i]! - POLL_MAX_MS));
    holder.script.child.kill('SIGKILL');
    await holder.script.exitCode();
    const killedAt = performance.now();
    const survivors = watchers.filter((w) => w.replica !== holder);

    for (let step = 2; step < LIVE_LIFECYCLE.length; step++) {
      clock += STEP_MS;
      await received(survivors, step + 1);
    }
    expect(await Promise.all(survivors.map((w) => w.ended))).toEqual(survivors.map(() => 'completed'));
    for (const { actions } of survivors) expect(actions).toEqual(LIVE_LIFECYCLE);

    // Taken over: the first poll after the death came from a survivor, within
    // 2 × SUBSCRIPTION_POLL_MAX_MS (1.75 × by construction), with a generous allowance for a loaded machine,
    // widened by the lateness measured before the kill.
    const after = jobRequests().filter((r) => r.receivedAt > killedAt);
    const takeoverMs = after[0]!.receivedAt - killedAt;
    console.info(
      `takeover: first poll ${Math.round(takeoverMs)} ms after the kill, ${Math.round(after[0]!.receivedAt - lastBeforeKill)} ms after the last poll before it`,
    );
    expect(takeoverMs).toBeLessThan(2 * POLL_MAX_MS + 2_000 + 2 * lateness);
    // One survivor polled, and its polls are every call made after the death (none read the log from the start).
    const survivorPolls = await Promise.all(
      cluster.replicas
        .filter((r) => r !== holder)
        .map(async (r) => (await polls(r)) - warmUp[cluster.replicas.indexOf(r)]!),
    );
    expect(survivorPolls.filter((n) => n > 0)).toHaveLength(1);
    expect(Math.abs(after.length - Math.max(...survivorPolls))).toBeLessThanOrEqual(1);
    expect(jobRequests().filter((r) => r.offset === '0')).toHaveLength(1);
  }, 60_000);
});
