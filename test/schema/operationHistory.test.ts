// TrainingJob.operationHistory: the first page for the count, then the other
// pages at once; call counts and windows proven at the simulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JOB_HISTORIES, type WireOperation } from '../../src/simulator/histories.js';
import { startHarness, type Harness } from '../support/harness.js';

const operations = (n: number): WireOperation[] =>
  Array.from({ length: n }, (_, i) => ({ time: 1_790_000_000 + i, action: 'CREATE_JOB', operator: 'USER' }));
const LONG = operations(450);
/** Longer than the default max of 1000. */
const LONGER = operations(1200);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simulator: {
      histories: new Map([
        ['job-450', LONG],
        ['job-1200', LONGER],
      ]),
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const windows = () =>
  h.simulator.requests.map((r) => `${r.offset}+${r.limit}`).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));

type History = { trainingJob: { operationHistory: Array<{ rawTime: number }> } | null };
const history = (jobId: string, max?: number | null) =>
  h.query<History>(
    `query($id: ID!, $max: Int) { trainingJob(jobId: $id) { operationHistory(max: $max) { rawTime } } }`,
    { id: jobId, max },
  );

describe('operationHistory', () => {
  it('reads a 151-operation history in two calls, the whole of it, in order', async () => {
    const result = await history('job-long-history');
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJob!.operationHistory.map((op) => op.rawTime)).toEqual(
      JOB_HISTORIES.get('job-long-history')!.map((op) => op.time),
    );
    expect(windows()).toEqual(['0+100', '100+51']);
  });

  it('stops at max, asking only for what it needs', async () => {
    const result = await history('job-450', 120);
    expect(result.data!.trainingJob!.operationHistory.map((op) => op.rawTime)).toEqual(
      LONG.slice(0, 120).map((op) => op.time),
    );
    expect(windows()).toEqual(['0+100', '100+20']);
    h.simulator.reset();
    expect((await history('job-450', 30)).data!.trainingJob!.operationHistory).toHaveLength(30);
    expect(windows()).toEqual(['0+30']);
  });

  it('reads the pages after the first at once', async () => {
    h.simulator.latencyMs = 50;
    try {
      const result = await history('job-450');
      expect(result.data!.trainingJob!.operationHistory).toHaveLength(450);
    } finally {
      h.simulator.latencyMs = 0;
    }
    expect(windows()).toEqual(['0+100', '100+100', '200+100', '300+100', '400+50']);
    // The first page alone, then the four others together.
    expect(h.simulator.peakInFlight).toBe(4);
  });

  it('an empty history is one call and an empty list', async () => {
    expect((await history('job-empty')).data!.trainingJob!.operationHistory).toEqual([]);
    expect(windows()).toEqual(['0+100']);
  });

  it('shares its first page with operations asked for in the same request', async () => {
    const result = await h.query(
      `{ trainingJob(jobId: "job-long-history") { operations(first: 10) { totalCount } operationHistory(max: 100) { action } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(windows()).toEqual(['0+100']);
  });

  it.each([0, -1, 5001])('refuses max %i with BAD_USER_INPUT naming the cap, before any call', async (max) => {
    const result = await history('job-complete', max);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'max' } });
    expect(result.errors?.[0]?.message).toMatch(/max must be between 1 and 5000/);
    expect(h.simulator.requests).toHaveLength(0);
  });

  it('takes null as the default of 1000', async () => {
    expect((await history('job-450', null)).data!.trainingJob!.operationHistory).toHaveLength(450);
    h.simulator.reset();
    const result = await history('job-1200', null);
    expect(result.data!.trainingJob!.operationHistory.map((op) => op.rawTime)).toEqual(
      LONGER.slice(0, 1000).map((op) => op.time),
    );
    // The first 1000 of 1200, in exactly ten calls of 100.
    expect(windows()).toEqual(Array.from({ length: 10 }, (_, i) => `${i * 100}+100`));
  });

  it('fails the field, with the upstream code, when a later page fails; other fields keep their data', async () => {
    // Faults are taken in injection order: the first page gets a harmless one, the later pages a 404.
    h.simulator.inject({ kind: 'delay', ms: 0 }, { jobId: 'job-450', times: 1 });
    h.simulator.inject({ kind: 'status', status: 404, errorCode: 'MSS.00000004' }, { jobId: 'job-450' });
    const result = await h.query<{
      a: { operationHistory: unknown } | null;
      b: { operations: { totalCount: number } };
    }>(`{
      a: trainingJob(jobId: "job-450") { operationHistory { action } }
      b: trainingJob(jobId: "job-complete") { operations { totalCount } }
    }`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['a', 'operationHistory'],
      extensions: { code: 'UPSTREAM_NOT_FOUND', status: 404 },
    });
    expect(result.data).toEqual({ a: null, b: { operations: { totalCount: 7 } } });
    expect(h.simulator.requests.filter((r) => r.jobId === 'job-450').map((r) => r.status)).toEqual([
      200, 404, 404, 404, 404,
    ]);
  });

  it('in a list of jobs, a failed history nulls only its own job', async () => {
    h.simulator.inject({ kind: 'status', status: 403, errorCode: 'APIGW.0302' }, { jobId: 'job-450' });
    const result = await h.query<{ trainingJobs: Array<{ jobId: string } | null> }>(
      `{ trainingJobs(jobIds: ["job-450", "job-complete"]) { jobId operationHistory(max: 10) { action } } }`,
    );
    expect(result.data!.trainingJobs.map((job) => job?.jobId ?? null)).toEqual([null, 'job-complete']);
    expect(result.errors).toMatchObject([
      { path: ['trainingJobs', 0, 'operationHistory'], extensions: { code: 'UPSTREAM_FORBIDDEN' } },
    ]);
  });
});
