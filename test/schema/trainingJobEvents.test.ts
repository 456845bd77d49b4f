// The subscription over GraphQL over SSE, as yoga serves it and graphql-sse
// clients (and GraphiQL) speak it, against the simulator as a real server.
// Time is injected: the simulator's clock and the pollers' timers.
import { createClient } from 'graphql-sse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_CACHE_DEFAULTS, PageCache } from '../../src/upstream/pageCache.js';
import { ManualTimers } from '../support/manualTimers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { take } from '../support/take.js';
import { LIVE_LIFECYCLE } from '../support/liveLifecycle.js';

const DAY = 86_400_000;
const POLLS = (ms: number) => ms < DAY;

let clock: number;
let timers: ManualTimers;
let h: Harness;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 1, 9, 0);
  timers = new ManualTimers();
  h = await startHarness({
    simulator: { now: () => clock },
    live: { pollMs: 50, pollMaxMs: 400, maxPerCaller: 50, timers },
  });
});
afterEach(() => h.close());

const EVENTS = `subscription Watch($jobId: ID!) {
  trainingJobEvents(jobId: $jobId) {
    status
    totalCount
    newOperations { action }
    job { jobId status latestOperation { action } operations(limit: 3) { totalCount nodes { action } } }
  }
}`;

interface Event {
  trainingJobEvents: {
    status: string | null;
    totalCount: number;
    newOperations: Array<{ action: string }>;
    job: {
      jobId: string;
      status: string | null;
      latestOperation: { action: string } | null;
      operations: { totalCount: number; nodes: Array<{ action: string }> };
    };
  };
}

interface Result {
  data?: Event | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

function sseClient() {
  return createClient({
    url: 'http://localhost/graphql',
    fetchFn: (input: string, init?: RequestInit) => h.app.fetch(input, init ?? {}),
    retryAttempts: 0,
  });
}

const windows = () => h.simulator.requests.map((r) => `${r.jobId}@${r.offset}+${r.limit}`);

/** Moves live jobs (stepMs 1000) on by one operation and runs the polls due; a poll schedules the next as it publishes. */
function step(): void {
  clock += 1_000;
  timers.fire(POLLS);
}

describe('trainingJobEvents over SSE', () => {
  it('sends the current state at once, each new operation once and in order, and completes after COMPLETE_JOB', async () => {
    const events = sseClient().iterate<Event, Record<string, unknown>>({
      query: EVENTS,
      variables: { jobId: 'live-1000-sse' },
    });
    const [first] = await take(events);
    expect(first).toEqual({
      data: {
        trainingJobEvents: {
          status: 'CREATED',
          totalCount: 1,
          newOperations: [{ action: 'CREATE_JOB' }],
          job: {
            jobId: 'live-1000-sse',
            status: 'CREATED',
            latestOperation: { action: 'CREATE_JOB' },
            operations: { totalCount: 1, nodes: [{ action: 'CREATE_JOB' }] },
          },
        },
      },
    });
    const later: Result[] = [];
    for (let i = 0; i < 6; i++) {
      step();
      later.push(...(await take(events)));
    }
    expect(later.map((r) => r.data!.trainingJobEvents.newOperations.map((op) => op.action))).toEqual([
      ['COMMIT_JOB'],
      ['SYSTEM_AUDIT_PASS'],
      ['ADMIN_AUDIT_PASS'],
      ['TRAINING_FINISH'],
      ['UPLOADING_MODEL'],
      ['COMPLETE_JOB'],
    ]);
    const last = later.at(-1)!.data!.trainingJobEvents;
    expect(last).toMatchObject({
      status: 'COMPLETED',
      totalCount: 7,
      job: { status: 'COMPLETED', latestOperation: { action: 'COMPLETE_JOB' }, operations: { totalCount: 7 } },
    });
    expect(last.job.operations.nodes.map((op) => op.action)).toEqual(['CREATE_JOB', 'COMMIT_JOB', 'SYSTEM_AUDIT_PASS']);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    // The poller's calls only: the event's job fields were answered from what it read.
    expect(windows()).toEqual(Array.from({ length: 7 }, (_, i) => `live-1000-sse@${i}+100`));
  });

  it('20 subscribers to one job cost the upstream calls of one', async () => {
    const client = sseClient();
    const subscribers = Array.from({ length: 20 }, () =>
      client.iterate<Event, Record<string, unknown>>({ query: EVENTS, variables: { jobId: 'live-1000-many' } }),
    );
    const single = client.iterate<Event, Record<string, unknown>>({
      query: EVENTS,
      variables: { jobId: 'live-1000-one' },
    });
    const received = await Promise.all([...subscribers, single].map((events) => take(events)));
    for (let i = 0; i < 6; i++) {
      step();
      const batch = await Promise.all([...subscribers, single].map((events) => take(events)));
      batch.forEach((results, n) => {
        received[n]!.push(...results);
      });
    }
    for (const results of received) {
      expect(results.flatMap((r) => r.data!.trainingJobEvents.newOperations.map((op) => op.action))).toEqual(
        LIVE_LIFECYCLE,
      );
    }
    const calls = (jobId: string) => windows().filter((w) => w.startsWith(`${jobId}@`));
    expect(calls('live-1000-many')).toEqual(calls('live-1000-one').map((w) => w.replace('-one@', '-many@')));
    expect(h.live.openSubscriptions).toBe(0);
  });
});

describe("an event's job details", () => {
  it('are read afresh after each change, once per event however many subscribers ask', async () => {
    await h.close();
    // A long page cache: an answer kept from before the event would show an old state.
    h = await startHarness({
      simulator: { now: () => clock },
      client: { pageCache: new PageCache({ ...PAGE_CACHE_DEFAULTS, ttlMs: 3_600_000 }) },
      live: { pollMs: 50, pollMaxMs: 400, maxPerCaller: 50, timers },
    });
    const query =
      'subscription($jobId: ID!) { trainingJobEvents(jobId: $jobId) { status job { state stateChangedAt } } }';
    type DetailsEvent = { trainingJobEvents: { status: string; job: { state: string; stateChangedAt: string } } };
    const client = sseClient();
    const subscribers = Array.from({ length: 5 }, () =>
      client.iterate<DetailsEvent, Record<string, unknown>>({ query, variables: { jobId: 'live-1000-details' } }),
    );
    const states: string[][] = [];
    const detailsCalls: number[] = [];
    const collect = async () => {
      const before = h.simulator.requests.filter((r) => r.route === 'job').length;
      const batch = await Promise.all(subscribers.map((events) => take(events)));
      states.push(batch.map(([result]) => result!.data!.trainingJobEvents.job.state));
      detailsCalls.push(h.simulator.requests.filter((r) => r.route === 'job').length - before);
    };
    await collect();
    for (let i = 0; i < 6; i++) {
      step();
      await collect();
    }
    expect(states).toEqual(
      ['CREATING', 'SYSTEM_AUDITING', 'AUDITING', 'PROCESSING', 'RESULT_REVIEW', 'UPLOADING', 'SUCCEED'].map((state) =>
        Array(5).fill(state),
      ),
    );
    expect(detailsCalls).toEqual(Array(7).fill(1));
  });
});

describe('trainingJobEvents refusals and failures', () => {
  const SHORT = `subscription($jobId: ID!) { trainingJobEvents(jobId: $jobId) { status totalCount } }`;

  async function results(jobId: string): Promise<Result[]> {
    return take(sseClient().iterate<Event, Record<string, unknown>>({ query: SHORT, variables: { jobId } }), 5);
  }

  it('a bad jobId is BAD_USER_INPUT and starts no poller', async () => {
    const [result, ...rest] = await results('a/b');
    expect(rest).toEqual([]);
    expect(result!.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'jobId' });
    expect(h.live.watchedJobs).toBe(0);
    expect(h.simulator.requests).toEqual([]);
  });

  it('a permanent upstream failure ends the subscription with its code', async () => {
    const [result, ...rest] = await results('job-that-does-not-exist');
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ data: null, errors: [{ extensions: { code: 'UPSTREAM_NOT_FOUND', status: 404 } }] });
    expect(h.simulator.requests).toHaveLength(1);
  });

  it('beyond SUBSCRIPTION_MAX_PER_CALLER the new subscription is RATE_LIMITED, naming the setting, and the others go on', async () => {
    await h.close();
    h = await startHarness({ simulator: { now: () => clock }, live: { pollMs: 50, maxPerCaller: 2, timers } });
    const client = sseClient();
    const open = [0, 1].map(() =>
      client.iterate<Event, Record<string, unknown>>({ query: SHORT, variables: { jobId: 'live-1000-limited' } }),
    );
    for (const events of open) expect((await take(events))[0]!.data?.trainingJobEvents.status).toBe('CREATED');
    const [refused, ...rest] = await results('live-1000-limited');
    expect(rest).toEqual([]);
    expect(refused!.errors?.[0]).toMatchObject({
      message: expect.stringContaining('SUBSCRIPTION_MAX_PER_CALLER'),
      extensions: { code: 'RATE_LIMITED', limit: 'SUBSCRIPTION_MAX_PER_CALLER' },
    });
    step();
    for (const events of open) expect((await take(events))[0]!.data?.trainingJobEvents.status).toBe('IN_REVIEW');
    for (const events of open) await events.return?.();
  });
});

describe('trainingJobEvents when the client goes away', () => {
  it('ends the subscription at once, and the poller with its last subscriber', async () => {
    const gone = new AbortController();
    const response = await h.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { trainingJobEvents(jobId: "job-training") { status } }' }),
      signal: gone.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('TRAINING')) text += new TextDecoder().decode((await reader.read()).value);
    expect(h.live.openSubscriptions).toBe(1);
    gone.abort();
    expect(h.live.openSubscriptions).toBe(0);
    expect(h.live.watchedJobs).toBe(0);
    expect(timers.waits(POLLS)).toEqual([]);
  });
});

describe('trainingJobEvents asked for without accepting a stream', () => {
  it.each(['application/graphql-response+json', 'multipart/mixed'])(
    'is answered 406 by yoga (accept %s), and leaves no subscription or poller behind',
    async (accept) => {
      const response = await h.app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: 'subscription { trainingJobEvents(jobId: "job-training") { status } }' }),
      });
      expect(response.status).toBe(406);
      expect(response.headers.get('accept')).toMatch(/text\/event-stream/);
      expect(h.live.openSubscriptions).toBe(0);
      expect(h.live.watchedJobs).toBe(0);
      expect(timers.waits(POLLS)).toEqual([]);
    },
  );
});
