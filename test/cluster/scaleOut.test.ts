// Three replicas as separate server processes, behind a round-robin of our own,
// against one simulator and one real redis-server: the tenant's budget, the
// page cache, the signature guard and CALLER_RATE_LIMIT are the cluster's, and a
// Redis that stops under load fails no query. Everything is measured at the
// simulator (its request log and arrival times) or in the replicas' answers.
import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/simulator.js';
import { eventually } from '../support/eventually.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { startReplicas, type Replica, type Replicas } from '../support/replicas.js';

const RATE = 20;
const CALLER_RATE = 20;
/** One API key per concurrent client, so CALLER_RATE_LIMIT only bites where a test means it to. */
const KEYS = Array.from({ length: 120 }, (_, i) => `scale-out-key-${i}`);
const LOAD_JOBS = 400;

let cluster: Replicas;
let simulator: Simulator;
let redis: RedisServer;
let replicas: Replica[];

beforeAll(async () => {
  const oneOperation = [{ time: Date.UTC(2026, 0, 1), action: 'CREATE_JOB', operator: 'USER' }];
  redis = await startRedis();
  cluster = await startReplicas({
    count: 3,
    redisUrl: redis.url,
    simulator: { histories: new Map(Array.from({ length: LOAD_JOBS }, (_, i) => [`load-${i}`, oneOperation])) },
    env: {
      // Four processes on a busy machine can leave a reply unread for 250 ms; that
      // would be an outage of its own (test/cluster/redisLink.test.ts freezes Redis for those).
      REDIS_TIMEOUT_MS: '2000',
      UPSTREAM_RATE_LIMIT: String(RATE),
      CALLER_RATE_LIMIT: String(CALLER_RATE),
      AUTH_MODE: 'apikey',
      AUTH_API_KEYS: KEYS.map((key) => createHash('sha256').update(key).digest('hex')).join(','),
      BREAKER_COOLDOWN_MS: '60000',
    },
  });
  ({ simulator, replicas } = cluster);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await redis?.kill();
});

interface Answer {
  status: number;
  /** extensions.code of each error. */
  codes: string[];
  message: string | undefined;
}

async function ask(replica: Replica, query: string, key: string): Promise<Answer> {
  const response = await fetch(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  return {
    status: response.status,
    codes: (body.errors ?? []).map((e) => e.extensions?.code ?? '?'),
    message: body.errors?.[0]?.message,
  };
}

const operations = (jobId: string) => `{ trainingJob(jobId: "${jobId}") { operations(limit: 5) { totalCount } } }`;

/** `count` queries from `concurrency` clients (a key each), sent to the replicas in turn. */
async function load(count: number, concurrency: number, jobFor: (i: number) => string): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, client) => {
      for (let i = next++; i < count; i = next++)
        answers.push(await ask(replicas[i % replicas.length]!, operations(jobFor(i)), KEYS[client]!));
    }),
  );
  return answers;
}

/**
 * Runs `run` while measuring how late this process's event loop ran (the
 * simulator lives here and stamps each request as it reads it): requests sent
 * within that lag may be stamped together, so a per-second bound widens by the
 * rate times that lag.
 */
async function withLoopLag<T>(run: () => Promise<T>): Promise<{ result: T; lagMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    return { result: await run(), lagMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** The most requests the simulator received within any one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= 1_000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

async function readyz(replica: Replica): Promise<{ status: number; mode: string }> {
  const response = await fetch(`${replica.origin}/readyz`);
  return { status: response.status, mode: ((await response.json()) as { mode: string }).mode };
}

/** Waits for `condition`, failing with `message` after 15 s rather than at the test's timeout. */
const until = (condition: () => Promise<boolean>, message: string) => eventually(condition, message, 15_000, 50);

/** Measured figures, printed at the end for docs/scaling.md. */
const measured: Record<string, unknown> = {};
afterAll(() => console.log(`scale-out measurements: ${JSON.stringify(measured)}`));

describe('three replicas sharing one Redis', () => {
  it('a page fetched through one replica is a cache hit on the others', async () => {
    simulator.reset();
    expect((await ask(replicas[0]!, operations('job-complete'), KEYS[0]!)).codes).toEqual([]);
    expect(simulator.requests).toHaveLength(1);
    for (const replica of replicas.slice(1))
      expect((await ask(replica, operations('job-complete'), KEYS[0]!)).codes).toEqual([]);
    expect(simulator.requests).toHaveLength(1);
  });

  it('100 concurrent identical queries spread over the replicas cost one upstream call', async () => {
    simulator.reset();
    // Slow enough that every query arrives while the one call is out.
    simulator.latencyMs = 300;
    try {
      const answers = await Promise.all(
        KEYS.slice(0, 100).map((key, i) => ask(replicas[i % 3]!, operations('job-admin-rejected'), key)),
      );
      expect(answers.filter((a) => a.status === 200 && a.codes.length === 0)).toHaveLength(100);
    } finally {
      simulator.latencyMs = 0;
    }
    expect(simulator.requests).toHaveLength(1);
    measured.identicalQueriesUpstreamCalls = simulator.requests.length;
  });

  it(`together they send at most about one second of burst plus one second of rate (UPSTREAM_RATE_LIMIT=${RATE}) in any second`, async () => {
    simulator.reset();
    const started = performance.now();
    const { result: answers, lagMs } = await withLoopLag(() => load(120, 30, (i) => `load-${i}`));
    measured.rateSeconds = Math.round(performance.now() - started) / 1000;
    measured.rateLoopLagMs = Math.round(lagMs);
    // Every query was answered: 30 clients at 20/s wait at most 1.5 s, below UPSTREAM_QUEUE_TIMEOUT_MS.
    expect(answers.filter((a) => a.codes.length === 0)).toHaveLength(120);
    expect(simulator.requests).toHaveLength(120);
    const busiest = busiestSecond(simulator.requests.map((r) => r.receivedAt));
    measured.rateBusiestSecond = busiest;
    // Per-replica buckets would allow 3 × (20 + 20) = 120.
    expect(busiest).toBeLessThanOrEqual(2 * RATE + 4 + Math.ceil((RATE * lagMs) / 1_000));
  });

  it('a caller over CALLER_RATE_LIMIT is refused at the cluster-wide rate, however the requests are spread', async () => {
    const key = KEYS.at(-1)!;
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => ask(replicas[i % 3]!, '{ __typename }', key)),
    );
    const refills = Math.ceil(((performance.now() - started) / 1000) * CALLER_RATE);
    const accepted = answers.filter((a) => a.status === 200).length;
    measured.callerAccepted = `${accepted} of 60 (allowance ${CALLER_RATE} + ${refills} refilled)`;
    expect(answers.filter((a) => a.status === 429 && a.codes[0] === 'RATE_LIMITED').length).toBe(60 - accepted);
    // Per-replica buckets would accept 3 × 20 = 60.
    expect(accepted).toBeGreaterThanOrEqual(CALLER_RATE);
    expect(accepted).toBeLessThanOrEqual(CALLER_RATE + refills);
  });

  it('Redis stopped under load: no query fails but for throttling, the summed rate stays within the limit, and shared mode resumes', async () => {
    simulator.reset();
    const outage = (async () => {
      await until(async () => simulator.requests.length >= 30, 'the load never reached 30 upstream calls');
      await redis.stop();
      // Each replica finds out at its next command or heartbeat.
      await until(
        async () => (await Promise.all(replicas.map(readyz))).every((r) => r.mode === 'degraded'),
        'the replicas never reported degraded after Redis stopped',
      );
      const during = await Promise.all(replicas.map(readyz));
      const metrics = await (await fetch(`${replicas[1]!.origin}/metrics`)).text();
      await until(async () => simulator.requests.length >= 100, 'the load never reached 100 upstream calls');
      await redis.restart();
      return { during, metrics };
    })();
    const { result: answers, lagMs } = await withLoopLag(() => load(160, 20, (i) => `load-${i + LOAD_JOBS - 160}`));
    const { during, metrics } = await outage;

    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const codes = new Set(answers.flatMap((a) => a.codes));
    expect([...codes].filter((code) => code !== 'UPSTREAM_THROTTLED')).toEqual([]);
    measured.outageThrottled = answers.filter((a) => a.codes.length > 0).length;
    const busiest = busiestSecond(simulator.requests.map((r) => r.receivedAt));
    measured.outageBusiestSecond = busiest;
    measured.outageLoopLagMs = Math.round(lagMs);
    expect(busiest).toBeLessThanOrEqual(2 * RATE + 4 + Math.ceil((RATE * lagMs) / 1_000));

    // Degraded, still ready, and saying so.
    for (const replica of during) expect(replica).toEqual({ status: 200, mode: 'degraded' });
    expect(metrics).toMatch(/^metastudio_redis_up 0$/m);
    // Back to shared by themselves once Redis answers again.
    await until(
      async () => (await Promise.all(replicas.map(readyz))).every((r) => r.mode === 'shared'),
      'the replicas never went back to shared after Redis restarted',
    );
    expect(await (await fetch(`${replicas[1]!.origin}/metrics`)).text()).toMatch(/^metastudio_redis_up 1$/m);
    // One warning per replica for the outage, however many commands failed.
    for (const replica of replicas) expect(replica.script.output().match(/Redis does not answer/g)).toHaveLength(1);
  });

  it('rejected signatures: the cluster sends 3, then every replica fails fast without calling', async () => {
    simulator.reset();
    const answers: Answer[] = [];
    // fault-401: the simulator rejects the signature of every call for this job.
    for (let i = 0; i < 9; i++) answers.push(await ask(replicas[i % 3]!, operations('fault-401'), KEYS[0]!));
    expect(simulator.requests).toHaveLength(3);
    expect(answers.every((a) => a.codes[0] === 'UPSTREAM_UNAUTHORIZED')).toBe(true);
    expect(answers.at(-1)!.message).toMatch(/paused .* after 3 rejected signatures in a row/);
    // Any job, on every replica: paused, no call.
    for (const replica of replicas)
      expect((await ask(replica, operations('job-empty'), KEYS[1]!)).codes).toEqual(['UPSTREAM_UNAUTHORIZED']);
    expect(simulator.requests).toHaveLength(3);
  });
});
