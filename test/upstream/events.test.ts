// The upstream layer reports each call, attempt and loader batch on diagnostics
// channels; metrics and request logs are built on these events.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upstreamEvents, type AttemptEvent, type CallEvent, type LoaderBatchEvent } from '../../src/upstream/events.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('publishes one call, one attempt and one batch per distinct window, with outcomes', async () => {
  const calls: CallEvent[] = [];
  const attempts: AttemptEvent[] = [];
  const batches: LoaderBatchEvent[] = [];
  const unsubscribe = [
    upstreamEvents.call.subscribe((e) => calls.push(e)),
    upstreamEvents.attempt.subscribe((e) => attempts.push(e)),
    upstreamEvents.loaderBatch.subscribe((e) => batches.push(e)),
  ];
  try {
    await h.query(
      `{ trainingJobs(jobIds: ["job-complete", "no-such-job", "job-complete"]) { operations(limit: 3) { totalCount } } }`,
    );
  } finally {
    for (const off of unsubscribe) off();
  }
  expect(batches).toEqual([{ loader: 'opLogWindow', size: 2 }]);
  expect(calls.map((c) => [c.jobId, c.offset, c.limit, c.attempts, c.outcome]).sort()).toEqual([
    ['job-complete', 0, 3, 1, 'ok'],
    ['no-such-job', 0, 3, 1, 'UPSTREAM_NOT_FOUND'],
  ]);
  const byJob = Object.fromEntries(attempts.map((a) => [a.jobId, a]));
  expect(byJob['job-complete']).toMatchObject({ attempt: 1, status: 200, errorCode: undefined });
  expect(byJob['no-such-job']).toMatchObject({ attempt: 1, status: 404, errorCode: 'UPSTREAM_NOT_FOUND' });
  expect(byJob['job-complete']?.upstreamRequestId).toMatch(/\S/);
  expect(calls.every((c) => c.durationMs >= 0)).toBe(true);
});
