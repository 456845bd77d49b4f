// Retries, deadlines, the rate limit and the circuit breaker, each driven by the
// simulator's fault modes and proven by counting the requests that reached it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UpstreamError } from '../../src/upstream/errors.js';
import {
  upstreamEvents,
  type BreakerEvent,
  type CallEvent,
  type RateLimitWaitEvent,
  type RetryEvent,
} from '../../src/upstream/events.js';
import type { MetaStudioClientOptions } from '../../src/upstream/client.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await h?.close();
  h = undefined;
});

async function harness(client: Partial<MetaStudioClientOptions> = {}): Promise<Harness> {
  h = await startHarness({ client });
  return h;
}

const OPERATIONS = `query($id: ID!) { trainingJob(jobId: $id) { operations(limit: 3) { totalCount } } }`;

/** The `operations` of one job through GraphQL: its total, or its error. */
async function operations(hh: Harness, jobId: string) {
  const result = await hh.query<{ trainingJob: { operations: { totalCount: number } | null } }>(OPERATIONS, {
    id: jobId,
  });
  return { totalCount: result.data?.trainingJob.operations?.totalCount, error: result.errors?.[0] };
}

/** Collects the events of one channel for the duration of `run`. */
async function collect<T extends object>(
  channel: { subscribe(listener: (event: T) => void): () => void },
  run: () => Promise<unknown>,
) {
  const events: T[] = [];
  const unsubscribe = channel.subscribe((event) => events.push(event));
  try {
    await run();
  } finally {
    unsubscribe();
  }
  return events;
}

/** A client that signs with the right AK and the wrong SK. */
async function wrongSecretHarness(client: Partial<MetaStudioClientOptions> = {}): Promise<Harness> {
  const credentials = { accessKey: 'AKRESILIENCETEST0000', secretKey: 'the-right-secret' };
  h = await startHarness({
    simulator: { credentials },
    client: { credentials: { ...credentials, secretKey: 'not-the-secret' }, ...client },
  });
  return h;
}

describe('retries', () => {
  it('a 503 then success → data, after two upstream calls', async () => {
    const hh = await harness();
    hh.simulator.inject({ kind: 'status', status: 503 }, { times: 1 });
    expect(await operations(hh, 'job-complete')).toEqual({ totalCount: 7, error: undefined });
    expect(hh.simulator.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('a 429 with Retry-After: 1 → data, the retry sent at least 1 s later', async () => {
    const hh = await harness();
    hh.simulator.inject({ kind: 'status', status: 429, errorCode: 'APIGW.0308', retryAfterSeconds: 1 }, { times: 1 });
    const retries = await collect<RetryEvent>(upstreamEvents.retry, async () => {
      expect(await operations(hh, 'job-complete')).toEqual({ totalCount: 7, error: undefined });
    });
    const [first, second] = hh.simulator.requests;
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
    expect(retries).toMatchObject([{ attempt: 1, delayMs: 1000, errorCode: 'UPSTREAM_THROTTLED' }]);
  });

  it('a reset on a reused keep-alive socket → data, retried transparently', async () => {
    const hh = await harness();
    // Warm the pool, so the next call goes out on a socket that was used before.
    expect((await operations(hh, 'job-empty')).totalCount).toBe(0);
    hh.simulator.inject({ kind: 'reset' }, { times: 1 });
    expect(await operations(hh, 'job-complete')).toEqual({ totalCount: 7, error: undefined });
    expect(hh.simulator.requests.map((r) => r.status)).toEqual([200, 0, 200]);
  });

  it('a permanent 500 → UPSTREAM_UNAVAILABLE after exactly 1 + retries calls', async () => {
    for (const retries of [2, 0, 4]) {
      const hh = await harness({ retries });
      hh.simulator.inject({ kind: 'status', status: 500 });
      const { error } = await operations(hh, 'job-complete');
      expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 500 });
      expect(hh.simulator.requests).toHaveLength(1 + retries);
      await hh.close();
      h = undefined;
    }
  });

  it('a 429 through every retry → UPSTREAM_THROTTLED', async () => {
    const hh = await harness();
    hh.simulator.inject({ kind: 'status', status: 429, errorCode: 'APIGW.0308', retryAfterSeconds: 0 });
    const { error } = await operations(hh, 'job-complete');
    expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_THROTTLED', status: 429, errorCode: 'APIGW.0308' });
    expect(hh.simulator.requests).toHaveLength(3);
  });

  it('a Retry-After beyond what we wait for is not retried; the caller sees it', async () => {
    const hh = await harness();
    hh.simulator.inject({ kind: 'status', status: 503, retryAfterSeconds: 120 });
    const { error } = await operations(hh, 'job-complete');
    expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 120 });
    expect(hh.simulator.requests).toHaveLength(1);
  });

  it.each([
    ['fault-400', 'UPSTREAM_BAD_REQUEST'],
    ['fault-401', 'UPSTREAM_UNAUTHORIZED'],
    ['fault-403', 'UPSTREAM_FORBIDDEN'],
    ['fault-wrong-shape', 'UPSTREAM_INVALID_RESPONSE'],
    ['no-such-job', 'UPSTREAM_NOT_FOUND'],
  ])('%s is never retried: %s after one call', async (jobId, code) => {
    const hh = await harness();
    expect((await operations(hh, jobId)).error?.extensions?.code).toBe(code);
    expect(hh.simulator.requests).toHaveLength(1);
  });

  it('a bad signature → UPSTREAM_UNAUTHORIZED after exactly one call', async () => {
    const hh = await wrongSecretHarness();
    const { error } = await operations(hh, 'job-complete');
    expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', status: 401, errorCode: 'APIGW.0301' });
    expect(hh.simulator.requests).toHaveLength(1);
  });

  it('signs every attempt afresh, with its own X-Sdk-Date', async () => {
    // Attempts come milliseconds apart; a clock that moves a second per signature tells them apart.
    let signatures = 0;
    const hh = await harness({ now: () => new Date(Date.now() + 1000 * signatures++) });
    hh.simulator.inject({ kind: 'status', status: 502 }, { times: 2 });
    expect(await operations(hh, 'job-complete')).toEqual({ totalCount: 7, error: undefined });
    const dates = hh.simulator.requests.map((r) => r.headers['x-sdk-date']);
    expect(dates).toHaveLength(3);
    expect(new Set(dates).size).toBe(3);
  });
});

describe('deadlines', () => {
  it('a hang → UPSTREAM_UNAVAILABLE within the deadline, never a hung caller', async () => {
    // Retries enough for 11 hangs; only the deadline can stop it sooner. (A hung caller fails on the test timeout.)
    const hh = await harness({ timeoutMs: 150, deadlineMs: 400, retries: 10 });
    hh.simulator.inject({ kind: 'hang' });
    const { error } = await operations(hh, 'job-complete');
    expect(error?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error?.message, error?.message).toMatch(/no answer within (the )?\d+ ms/);
    // Each attempt is cut at 150 ms and no attempt starts past the deadline: 1-3 attempts, not 1 + retries hangs.
    expect(hh.simulator.requests.length).toBeGreaterThanOrEqual(1);
    expect(hh.simulator.requests.length).toBeLessThanOrEqual(3);
  });
});

describe('rate limit', () => {
  const ids = [
    'job-complete',
    'job-empty',
    'job-drift',
    'job-admin-rejected',
    'job-algorithm-failed',
    'job-long-history',
  ];
  const dashboard = `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations(limit: 1) { totalCount } } }`;

  it('beyond the budget and the queue timeout → UPSTREAM_THROTTLED, with no upstream call', async () => {
    // The bucket's clock stands still: no token comes back however slowly the calls are made.
    const hh = await harness({ rateLimit: 2, queueTimeoutMs: 0, clock: () => 0 });
    const waits = await collect<RateLimitWaitEvent>(upstreamEvents.rateLimitWait, async () => {
      const result = await hh.query<{ trainingJobs: Array<{ operations: unknown }> }>(dashboard, { ids });
      const codes = (result.errors ?? []).map((e) => e.extensions?.code);
      expect(codes).toEqual(Array(4).fill('UPSTREAM_THROTTLED'));
      expect(result.errors?.[0]?.message).toMatch(/UPSTREAM_RATE_LIMIT=2\/s/);
      expect(result.data?.trainingJobs.filter((j) => j.operations !== null)).toHaveLength(2);
    });
    // The bucket holds one second of tokens: 2 calls went out, the other 4 never left.
    expect(hh.simulator.requests).toHaveLength(2);
    expect(waits).toEqual(Array(4).fill({ waitedMs: 0, outcome: 'timeout' }));
  });

  it('within the queue timeout, calls wait for tokens instead of failing', async () => {
    const hh = await harness({ rateLimit: 10, queueTimeoutMs: 2000, clock: () => 0 });
    const waits = await collect<RateLimitWaitEvent>(upstreamEvents.rateLimitWait, async () => {
      const jobs = [...ids, ...ids.map((id) => `${id}-x`)].slice(0, 12);
      const result = await hh.query(dashboard, { ids: jobs });
      expect((result.errors ?? []).every((e) => e.extensions?.code === 'UPSTREAM_NOT_FOUND')).toBe(true);
    });
    expect(hh.simulator.requests).toHaveLength(12);
    // 10 tokens in the bucket; the other 2 calls waited for refills (100 ms each, one after the other).
    expect(waits.map((w) => w.outcome)).toEqual(['granted', 'granted']);
    expect(waits.map((w) => w.waitedMs).sort((a, b) => a - b)).toEqual([100, 200]);
  });

  it('calls queued behind a stalled upstream still go out at the budgeted rate, not in a burst', async () => {
    // The bucket's clock moves only by the stall: half a second, time to refill it.
    let now = 0;
    const hh = await harness({ rateLimit: 10, queueTimeoutMs: 5000, concurrency: 2, retries: 0, clock: () => now });
    let unstall!: () => void;
    const stall = new Promise<void>((resolve) => (unstall = resolve));
    for (const jobId of ['job-empty', 'job-drift'])
      hh.simulator.inject({ kind: 'hold', until: stall }, { jobId, times: 1 });
    const waits = await collect<RateLimitWaitEvent>(upstreamEvents.rateLimitWait, async () => {
      const stalled = ['job-empty', 'job-drift'].map((jobId) =>
        hh.client.listOperationLogs({ jobId, offset: 0, limit: 1 }),
      );
      const queued = Array.from({ length: 20 }, (_, offset) =>
        hh.client.listOperationLogs({ jobId: 'job-complete', offset, limit: 1 }),
      );
      // Both stalled calls are at the upstream, holding both slots; the other 20 queue for a slot.
      while (hh.simulator.peakInFlight < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      now += 500;
      unstall();
      await Promise.all([...stalled, ...queued]);
    });
    // After the stall the bucket holds 10 tokens, however long the calls queued: 10 go at once, the other
    // 10 one per 100 ms. A call that took its token while queued would have waited from before the stall.
    expect(waits.map((w) => w.waitedMs).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i + 1) * 100),
    );
    expect(hh.simulator.requests).toHaveLength(22);
  });
});

describe('bounded queueing', () => {
  it('20 concurrent dashboards of 10 jobs at 5/s: calls that cannot be sent within the queue timeout fail at once, unsent', async () => {
    // The case (200 calls, 40 s of budget) on the real clock; before the whole wait was bounded,
    // calls sat up to UPSTREAM_DEADLINE_MS in the slot queue and failed there as UPSTREAM_UNAVAILABLE.
    const hh = await harness({ rateLimit: 5, queueTimeoutMs: 2000, deadlineMs: 30_000, concurrency: 8 });
    const dashboard = `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations(limit: 1) { totalCount } } }`;
    const waits: RateLimitWaitEvent[] = [];
    const stopWaits = upstreamEvents.rateLimitWait.subscribe((event) => waits.push(event));
    const starts: number[] = [];
    const calls = await collect<CallEvent>(upstreamEvents.call, async () => {
      const stopStarts = upstreamEvents.call.subscribe(({ durationMs }) => starts.push(performance.now() - durationMs));
      const ids = (q: number) => Array.from({ length: 10 }, (_, j) => `dash-${q}-job-${j}`);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, q) => hh.query(dashboard, { ids: ids(q) })),
      ).finally(stopStarts);
      // Every query answered, each job with data or its own error; none failed as a whole.
      expect(results.every((r) => r.data?.trainingJobs !== undefined)).toBe(true);
    }).finally(stopWaits);

    // Every call either reached MetaStudio (these jobs do not exist there: 404) or was refused unsent.
    expect(calls).toHaveLength(200);
    const sent = calls.filter((c) => c.outcome === 'UPSTREAM_NOT_FOUND');
    const refused = calls.filter((c) => c.outcome === 'UPSTREAM_THROTTLED');
    expect(sent.length + refused.length).toBe(200);
    expect(sent.every((c) => c.attempts === 1)).toBe(true);
    expect(refused.every((c) => c.attempts === 0)).toBe(true);
    expect(hh.simulator.requests).toHaveLength(sent.length);
    // The burst, then 5/s for the 2 s a call may wait, counted from when the last call began.
    const spreadMs = Math.max(...starts) - Math.min(...starts);
    // Calls did queue for tokens: the burst and most of what 2 s refill were sent, not only the burst.
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(sent.length).toBeLessThanOrEqual(5 + Math.ceil((5 * (spreadMs + 2000)) / 1000) + 1);
    // Refused at once, from the wait their token would take: none sat out the timeout in the slot queue.
    expect(waits.filter((w) => w.outcome === 'timeout')).toEqual(
      Array(refused.length).fill({ waitedMs: 0, outcome: 'timeout' }),
    );
  });

  it('a call that gets no connection slot within the queue timeout fails as UPSTREAM_THROTTLED, not at the deadline', async () => {
    const hh = await harness({ concurrency: 1, rateLimit: 0, queueTimeoutMs: 100, deadlineMs: 60_000 });
    let release!: () => void;
    hh.simulator.inject(
      { kind: 'hold', until: new Promise<void>((resolve) => (release = resolve)) },
      { jobId: 'job-complete', times: 1 },
    );
    const held = hh.client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 });
    while (hh.simulator.peakInFlight < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const queued = await hh.client
      .listOperationLogs({ jobId: 'job-empty', offset: 0, limit: 1 })
      .catch((e: UpstreamError) => e);
    expect(queued).toMatchObject({
      code: 'UPSTREAM_THROTTLED',
      message: expect.stringMatching(/no connection slot was free \(UPSTREAM_CONCURRENCY=1\) within 100 ms/),
    });
    release();
    expect((await held).count).toBe(7);
    expect(hh.simulator.requests.map((r) => r.jobId)).toEqual(['job-complete']);
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, fails fast with no upstream call, then one probe closes it', async () => {
    // cockatiel times the cooldown with Date.now: a clock that moves only when the test says.
    vi.useFakeTimers({ toFake: ['Date'] });
    const hh = await harness({ retries: 0, breakerThreshold: 3, breakerCooldownMs: 300 });
    const transitions = await collect<BreakerEvent>(upstreamEvents.breaker, async () => {
      hh.simulator.inject({ kind: 'status', status: 500 }, { times: 3 });
      for (let i = 0; i < 3; i++)
        expect((await operations(hh, 'job-complete')).error?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(hh.client.breakerState).toBe('open');

      const open = await operations(hh, 'job-complete');
      expect(open.error?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(open.error?.message).toMatch(/after 3 consecutive failed calls \(circuit breaker open/);
      expect(hh.simulator.requests).toHaveLength(3);

      vi.setSystemTime(Date.now() + 300);
      // Three callers at once after the cooldown: one probe goes out, the others wait for its outcome.
      hh.simulator.inject({ kind: 'delay', ms: 100 }, { times: 1 });
      const after = await Promise.all(
        ['job-complete', 'job-empty', 'job-admin-rejected'].map((id) => operations(hh, id)),
      );
      expect(after.map((a) => a.error)).toEqual([undefined, undefined, undefined]);
      const [probe, ...others] = hh.simulator.requests.slice(3);
      expect(others).toHaveLength(2);
      for (const other of others) expect(other.receivedAt - probe!.receivedAt).toBeGreaterThanOrEqual(90);
      expect(hh.client.breakerState).toBe('closed');
    });
    expect(transitions.map((t) => t.state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe opens it again for another cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const hh = await harness({ retries: 0, breakerThreshold: 1, breakerCooldownMs: 200 });
    hh.simulator.inject({ kind: 'status', status: 503 }, { times: 2 });
    await operations(hh, 'job-complete');
    vi.setSystemTime(Date.now() + 200);
    expect((await operations(hh, 'job-complete')).error?.extensions?.status).toBe(503);
    expect(hh.client.breakerState).toBe('open');
    expect((await operations(hh, 'job-complete')).error?.message).toMatch(/circuit breaker open/);
    expect(hh.simulator.requests).toHaveLength(2);
  });

  it('answers about one job (404, 400) keep it closed and reset the count', async () => {
    const hh = await harness({ retries: 0, breakerThreshold: 2 });
    for (const jobId of ['fault-500', 'no-such-job', 'fault-500', 'fault-400', 'fault-500'])
      await operations(hh, jobId);
    expect(hh.client.breakerState).toBe('closed');
    expect(hh.simulator.requests).toHaveLength(5);
  });

  it('rejected signatures pause calls after 3 in a row, below MetaStudio AK lock at 5, whatever the breaker threshold', async () => {
    const hh = await wrongSecretHarness({ breakerThreshold: 100 });
    for (let i = 0; i < 5; i++) await operations(hh, 'job-complete');
    expect(hh.simulator.requests).toHaveLength(3);
    const { error } = await operations(hh, 'job-complete');
    expect(error?.extensions).toEqual({ code: 'UPSTREAM_UNAUTHORIZED' });
    expect(error?.message).toMatch(
      /3 rejected signatures in a row \(MetaStudio locks the AK after 5\); the call was not made/,
    );
    expect(hh.simulator.requests).toHaveLength(3);
  });

  it('an accepted signature between rejections starts their count over', async () => {
    const hh = await harness({ breakerThreshold: 100 });
    for (const jobId of ['fault-401', 'fault-401', 'job-complete', 'fault-401', 'fault-401'])
      await operations(hh, jobId);
    expect((await operations(hh, 'job-empty')).error).toBeUndefined();
    expect(hh.simulator.requests).toHaveLength(6);
  });

  it('our own rate-limit refusals neither count as failures nor reset the count', async () => {
    let now = 0;
    const hh = await harness({ retries: 0, rateLimit: 2, queueTimeoutMs: 0, breakerThreshold: 3, clock: () => now });
    hh.simulator.inject({ kind: 'status', status: 503 });
    const call = (offset: number) =>
      hh.client.listOperationLogs({ jobId: 'job-complete', offset, limit: 1 }).catch((e: UpstreamError) => e.code);
    expect([await call(0), await call(1)]).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    // The bucket is empty: refused here, never sent.
    expect(await call(2)).toBe('UPSTREAM_THROTTLED');
    expect(hh.client.breakerState).toBe('closed');
    now += 500;
    // The third real failure in a row opens it.
    expect(await call(3)).toBe('UPSTREAM_UNAVAILABLE');
    expect(hh.client.breakerState).toBe('open');
    expect(hh.simulator.requests).toHaveLength(3);
  });

  it('our own rate-limit refusals do not count against MetaStudio', async () => {
    const hh = await harness({ rateLimit: 1, queueTimeoutMs: 0, breakerThreshold: 1 });
    await hh.query(
      `{ trainingJobs(jobIds: ["job-complete", "job-empty", "job-drift"]) { operations { totalCount } } }`,
    );
    expect(hh.client.breakerState).toBe('closed');
  });
});
