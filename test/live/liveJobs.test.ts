// Pollers against the simulator as a real HTTP server: what each poll costs
// upstream, what each subscriber receives, when polling backs off, stretches
// and stops. Time is injected (the simulator's clock and the pollers' timers),
// so no test waits on the wall clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveJobs, type LiveJobsOptions } from '../../src/live/liveJobs.js';
import type { LiveItem, LiveSubscription } from '../../src/live/liveSubscription.js';
import { liveEvents, type PollEvent } from '../../src/live/liveEvents.js';
import type { WireOperation } from '../../src/simulator/histories.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient, MetaStudioClientOptions } from '../../src/upstream/client.js';
import { registerSecret } from '../support/runSecrets.js';
import { eventually } from '../support/eventually.js';
import { ManualTimers } from '../support/manualTimers.js';
import { simulatorClient } from '../support/simulatorClient.js';

const DAY = 86_400_000;
/** Polls wait less than a day; the duration limit is a day. */
const POLLS = (ms: number) => ms < DAY;
const DURATION = (ms: number) => ms === DAY;

let clock: number;
let simulator: Simulator;
let client: MetaStudioClient;
let timers: ManualTimers;
let live: LiveJobs;
/** A history the test changes as it goes. */
let shrinking: WireOperation[];

async function setUp(options: LiveJobsOptions = {}, clientOptions: Partial<MetaStudioClientOptions> = {}) {
  // A test that changes the settings replaces the pair made before it.
  live?.close();
  await client?.close();
  client = simulatorClient(simulator, { rateLimit: 0, retries: 0, ...clientOptions });
  timers = new ManualTimers();
  live = new LiveJobs(client, { pollMs: 50, pollMaxMs: 400, timers, ...options });
}

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 1, 9, 0);
  shrinking = [];
  simulator = await startSimulator({ now: () => clock, histories: new Map([['job-shrinking', shrinking]]) });
  registerSecret(simulator.credentials.secretKey);
  await setUp();
});

afterEach(async () => {
  live.close();
  await client.close();
  await simulator.close();
  live = undefined!;
  client = undefined!;
});

async function next(subscription: LiveSubscription): Promise<LiveItem | 'done'> {
  const { value, done } = await subscription.next();
  return done ? 'done' : value;
}

function eventOf(item: LiveItem | 'done') {
  if (item === 'done' || 'error' in item) throw new Error(`expected an event, got ${JSON.stringify(item)}`);
  const { event } = item;
  return {
    status: event.status,
    totalCount: event.snapshot.count,
    actions: event.newOperations.map((op) => op.action),
  };
}

/** Fires the pending polls and waits until each has scheduled its next one or ended. */
async function poll(expectedTimers = timers.requested.length + 1): Promise<void> {
  timers.fire(POLLS);
  await timers.scheduled(expectedTimers);
}

const windows = () => simulator.requests.map((r) => `${r.jobId}@${r.offset}+${r.limit}`);

describe('one poller per job', () => {
  it('sends the current state at once, then only new operations, each once and in order, and completes on COMPLETE_JOB', async () => {
    const subscription = live.subscribe('live-1000-a', 'caller');
    expect(eventOf(await next(subscription))).toEqual({ status: 'CREATED', totalCount: 1, actions: ['CREATE_JOB'] });
    await timers.scheduled(2); // the duration limit, then the first poll
    expect(timers.waits(POLLS)).toEqual([50]);

    // Nothing new: one call at offset = count, no event, a longer wait.
    await poll();
    expect(timers.waits(POLLS)).toEqual([100]);

    clock += 1_000;
    await poll();
    expect(eventOf(await next(subscription))).toEqual({ status: 'IN_REVIEW', totalCount: 2, actions: ['COMMIT_JOB'] });
    expect(timers.waits(POLLS)).toEqual([50]);

    clock += 3_000;
    await poll();
    expect(eventOf(await next(subscription))).toEqual({
      status: 'PUBLISHING',
      totalCount: 5,
      actions: ['SYSTEM_AUDIT_PASS', 'ADMIN_AUDIT_PASS', 'TRAINING_FINISH'],
    });

    clock += 2_000;
    timers.fire(POLLS);
    expect(eventOf(await next(subscription))).toEqual({
      status: 'COMPLETED',
      totalCount: 7,
      actions: ['UPLOADING_MODEL', 'COMPLETE_JOB'],
    });
    expect(await next(subscription)).toBe('done');

    expect(windows()).toEqual([
      'live-1000-a@0+100',
      'live-1000-a@1+100',
      'live-1000-a@1+100',
      'live-1000-a@2+100',
      'live-1000-a@5+100',
    ]);
    expect(timers.waits()).toEqual([]);
    expect(live.watchedJobs).toBe(0);
    expect(live.openSubscriptions).toBe(0);
  });

  it('shares one poller among subscribers: a later one gets the current state with no upstream call', async () => {
    const first = live.subscribe('live-1000-b', 'a');
    eventOf(await next(first));
    clock += 1_000;
    await poll(3);
    eventOf(await next(first));
    const callsBefore = simulator.requests.length;

    const second = live.subscribe('live-1000-b', 'b');
    expect(eventOf(await next(second))).toEqual({
      status: 'IN_REVIEW',
      totalCount: 2,
      actions: ['CREATE_JOB', 'COMMIT_JOB'],
    });
    expect(simulator.requests.length).toBe(callsBefore);
    expect(live.watchedJobs).toBe(1);

    clock += 1_000;
    await poll();
    expect(eventOf(await next(first)).actions).toEqual(['SYSTEM_AUDIT_PASS']);
    expect(eventOf(await next(second)).actions).toEqual(['SYSTEM_AUDIT_PASS']);
    expect(simulator.requests.length).toBe(callsBefore + 1);
  });

  it('a long log: the first read takes the count, then the page with the newest operations', async () => {
    const subscription = live.subscribe('job-long-history', 'caller');
    const first = eventOf(await next(subscription));
    expect(first).toMatchObject({ status: 'PUBLISHING', totalCount: 151 });
    expect(first.actions).toHaveLength(100);
    expect(first.actions.at(-1)).toBe('TRAINING_FINISH');
    expect(windows()).toEqual(['job-long-history@0+100', 'job-long-history@51+100']);
  });

  it('stops polling when its last subscriber leaves', async () => {
    const a = live.subscribe('live-1000-c', 'a');
    const b = live.subscribe('live-1000-c', 'a');
    await next(a);
    await next(b);
    await a.return();
    expect(timers.waits(POLLS)).toHaveLength(1);
    await b.return();
    expect(timers.waits()).toEqual([]);
    expect(live.watchedJobs).toBe(0);
    expect(simulator.requests).toHaveLength(1);
  });

  it('re-reads the whole log when its count goes down, and starts the subscribers over from it', async () => {
    shrinking.push(
      { time: clock, action: 'CREATE_JOB', operator: 'USER' },
      { time: clock + 1, action: 'COMMIT_JOB', operator: 'USER' },
      { time: clock + 2, action: 'AUDIT_NOT_PASS', operator: 'SYSTEM' },
    );
    const subscription = live.subscribe('job-shrinking', 'caller');
    expect(eventOf(await next(subscription))).toMatchObject({ status: 'REJECTED', totalCount: 3 });
    shrinking.splice(1);
    await poll(3);
    expect(eventOf(await next(subscription))).toEqual({ status: 'CREATED', totalCount: 1, actions: ['CREATE_JOB'] });
    expect(windows()).toEqual(['job-shrinking@0+100', 'job-shrinking@3+100', 'job-shrinking@0+100']);
  });
});

describe('polling within the budget', () => {
  it('doubles the wait while nothing changes, up to SUBSCRIPTION_POLL_MAX_MS, and drops back after a change', async () => {
    const subscription = live.subscribe('live-1000-idle', 'caller');
    eventOf(await next(subscription));
    await timers.scheduled(2);
    for (let i = 0; i < 5; i++) await poll();
    clock += 1_000;
    await poll();
    eventOf(await next(subscription));
    expect(timers.requested.filter(POLLS)).toEqual([50, 100, 200, 400, 400, 400, 50]);
    expect(windows()).toEqual(['live-1000-idle@0+100', ...Array(6).fill('live-1000-idle@1+100')]);
  });

  it('stretches every poller evenly when the jobs watched need more than SUBSCRIPTION_UPSTREAM_SHARE of UPSTREAM_RATE_LIMIT', async () => {
    // 100 calls per second, 5 % for pollers: 5 per second among 20 jobs is one poll every 4 s each.
    await setUp({ upstreamShare: 0.05 }, { rateLimit: 100 });
    const subscriptions = Array.from({ length: 20 }, (_, i) =>
      live.subscribe(`live-100000-stretch-${i}`, `caller-${i % 5}`),
    );
    for (const subscription of subscriptions) eventOf(await next(subscription));
    await timers.scheduled(40);
    expect(timers.waits(POLLS)).toEqual(Array(20).fill(4_000));
    expect(simulator.requests).toHaveLength(20);

    // With half of them gone, the others poll twice as often; idle, they still back off.
    for (const subscription of subscriptions.slice(10)) await subscription.return();
    expect(timers.waits(POLLS)).toHaveLength(10);
    await poll(50);
    expect(timers.waits(POLLS)).toEqual(Array(10).fill(2_000));
    expect(simulator.requests).toHaveLength(30);
  });

  it("with replicas sharing the tenant's budget, takes this replica's part of the share", async () => {
    let replicas = 2;
    await setUp({ upstreamShare: 0.05, replicas: () => replicas }, { rateLimit: 100 });
    const subscriptions = Array.from({ length: 10 }, (_, i) => live.subscribe(`live-100000-replica-${i}`, 'caller'));
    for (const subscription of subscriptions) eventOf(await next(subscription));
    // 5 calls per second for the tenant's pollers, 2.5 for this replica's 10 jobs: one poll every 4 s each.
    expect(live.floorMs).toBe(4_000);
    replicas = 1;
    expect(live.floorMs).toBe(2_000);
  });

  it('with the upstream rate limit off, only the intervals bound the pollers', async () => {
    const subscriptions = Array.from({ length: 20 }, (_, i) =>
      live.subscribe(`live-100000-free-${i}`, `caller-${i % 5}`),
    );
    for (const subscription of subscriptions) eventOf(await next(subscription));
    await timers.scheduled(40);
    expect(timers.waits(POLLS)).toEqual(Array(20).fill(50));
  });
});

describe('upstream faults', () => {
  it('keeps the subscription open through transient failures (429, 5xx, timeout) and retries at the next interval', async () => {
    await setUp({}, { timeoutMs: 200 });
    simulator.inject({ kind: 'status', status: 429 }, { jobId: 'job-training', times: 1 });
    simulator.inject({ kind: 'status', status: 500 }, { jobId: 'job-training', times: 1 });
    simulator.inject({ kind: 'hang' }, { jobId: 'job-training', times: 1 });
    simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-training', times: 1 });
    const subscription = live.subscribe('job-training', 'caller');
    const first = next(subscription);
    await timers.scheduled(2);
    for (let i = 0; i < 3; i++) await poll();
    timers.fire(POLLS);
    expect(eventOf(await first)).toMatchObject({ status: 'TRAINING', totalCount: 4 });
    expect(simulator.requests.map((r) => r.status)).toEqual([429, 500, 0, 503, 200]);
    // The failures backed off like idle polls; the success starts again from the minimum.
    await timers.scheduled(6);
    expect(timers.requested.filter(POLLS)).toEqual([100, 200, 400, 400, 50]);
  });

  it('also through an open circuit breaker, which fails the poll with no upstream request', async () => {
    await setUp({}, { breakerThreshold: 1, breakerCooldownMs: 60_000 });
    simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-training', times: 1 });
    const subscription = live.subscribe('job-training', 'caller');
    const outcomes: PollEvent['outcome'][] = [];
    const off = liveEvents.poll.subscribe(({ outcome }) => outcomes.push(outcome));
    try {
      await timers.scheduled(2);
      await poll();
      expect(client.breakerState).toBe('open');
      expect(outcomes).toEqual(['failed', 'failed']);
      expect(simulator.requests).toHaveLength(1);
    } finally {
      off();
    }
    await subscription.return();
  });

  it(`ends with the UPSTREAM_* error after SUBSCRIPTION_MAX_FAILURES consecutive failures, the first read included`, async () => {
    await setUp({ maxFailures: 3 });
    simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-training' });
    const subscription = live.subscribe('job-training', 'caller');
    const item = next(subscription);
    await timers.scheduled(2);
    await poll();
    timers.fire(POLLS);
    const ended = await item;
    expect(ended !== 'done' && 'error' in ended && ended.error.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      status: 503,
    });
    expect(await next(subscription)).toBe('done');
    expect(simulator.requests).toHaveLength(3);
    expect(live.watchedJobs).toBe(0);
  });

  it('counts only consecutive failures: fail, fail, success, fail, fail stays open under SUBSCRIPTION_MAX_FAILURES=3', async () => {
    await setUp({ maxFailures: 3 });
    const subscription = live.subscribe('job-training', 'caller');
    expect(eventOf(await next(subscription)).status).toBe('TRAINING');
    for (const outcome of ['fail', 'fail', 'success', 'fail', 'fail']) {
      if (outcome === 'fail') simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-training', times: 1 });
      const scheduled = timers.requested.length + 1;
      timers.fire(POLLS);
      await eventually(
        () => timers.requested.length >= scheduled || live.watchedJobs === 0,
        'a poll neither scheduled the next one nor ended',
      );
      expect(live.watchedJobs, `ended after ${outcome}: the success did not reset the failure count`).toBe(1);
    }
    expect(simulator.requests.map((r) => r.status)).toEqual([200, 503, 503, 200, 503, 503]);
    expect(live.watchedJobs).toBe(1);
    expect(timers.waits(POLLS)).toHaveLength(1);
    // The third failure in a row ends it.
    simulator.inject({ kind: 'status', status: 503 }, { jobId: 'job-training', times: 1 });
    timers.fire(POLLS);
    const ended = await next(subscription);
    expect(ended !== 'done' && 'error' in ended && ended.error.extensions.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([
    ['job-that-does-not-exist', 'UPSTREAM_NOT_FOUND'],
    ['fault-403', 'UPSTREAM_FORBIDDEN'],
    ['fault-400', 'UPSTREAM_BAD_REQUEST'],
  ])('ends at once on a permanent failure: %s → %s', async (jobId, code) => {
    const subscription = live.subscribe(jobId, 'caller');
    const ended = await next(subscription);
    expect(ended !== 'done' && 'error' in ended && ended.error.extensions.code).toBe(code);
    expect(await next(subscription)).toBe('done');
    expect(simulator.requests).toHaveLength(1);
    expect(timers.waits(POLLS)).toEqual([]);
  });
});

describe('limits', () => {
  function refusal(subscribe: () => unknown) {
    try {
      subscribe();
    } catch (error) {
      return { message: (error as Error).message, extensions: (error as { extensions?: unknown }).extensions };
    }
    throw new Error('not refused');
  }

  it("SUBSCRIPTION_MAX_PER_CALLER refuses the caller's next subscription, and disturbs nothing else", async () => {
    await setUp({ maxPerCaller: 2 });
    const a = live.subscribe('live-1000-limits', 'alice');
    const b = live.subscribe('job-training', 'alice');
    expect(refusal(() => live.subscribe('job-created', 'alice'))).toEqual({
      message: expect.stringMatching(/SUBSCRIPTION_MAX_PER_CALLER/),
      extensions: { code: 'RATE_LIMITED', limit: 'SUBSCRIPTION_MAX_PER_CALLER' },
    });
    expect(live.watchedJobs).toBe(2);
    const other = live.subscribe('job-created', 'bob');
    eventOf(await next(a));
    eventOf(await next(b));
    eventOf(await next(other));
    clock += 1_000;
    await timers.scheduled(6);
    timers.fire(POLLS);
    expect(eventOf(await next(a)).actions).toEqual(['COMMIT_JOB']);
    // One leaves: room for another.
    await b.return();
    expect(() => live.subscribe('job-created', 'alice')).not.toThrow();
  });

  it('SUBSCRIPTION_MAX_JOBS refuses a new job beyond it, but not another subscriber of a watched one', async () => {
    await setUp({ maxJobs: 2 });
    eventOf(await next(live.subscribe('job-training', 'a')));
    eventOf(await next(live.subscribe('job-created', 'b')));
    expect(refusal(() => live.subscribe('job-in-review', 'c'))).toEqual({
      message: expect.stringMatching(/SUBSCRIPTION_MAX_JOBS/),
      extensions: { code: 'RATE_LIMITED', limit: 'SUBSCRIPTION_MAX_JOBS' },
    });
    const joined = live.subscribe('job-training', 'c');
    expect(eventOf(await next(joined)).status).toBe('TRAINING');
    expect(simulator.requests.map((r) => r.jobId).sort()).toEqual(['job-created', 'job-training']);
  });

  it('completes a subscription after SUBSCRIPTION_MAX_DURATION_MS', async () => {
    const subscription = live.subscribe('job-training', 'caller');
    eventOf(await next(subscription));
    expect(timers.waits(DURATION)).toEqual([DAY]);
    timers.fire(DURATION);
    expect(await next(subscription)).toBe('done');
    expect(live.openSubscriptions).toBe(0);
    expect(timers.waits()).toEqual([]);
  });

  it('close() completes every open subscription and refuses new ones', async () => {
    const subscriptions = [live.subscribe('job-training', 'a'), live.subscribe('job-created', 'b')];
    for (const subscription of subscriptions) eventOf(await next(subscription));
    live.close();
    for (const subscription of subscriptions) expect(await next(subscription)).toBe('done');
    expect(refusal(() => live.subscribe('job-training', 'a')).extensions).toEqual({ code: 'SHUTTING_DOWN' });
    expect(timers.waits()).toEqual([]);
  });
});
