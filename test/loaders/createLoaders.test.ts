// Batching proven by counting the requests that reach the simulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JOB_HISTORIES } from '../../src/simulator/histories.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ client: { concurrency: 3 } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const windows = () => h.simulator.requests.map((r) => `${r.jobId}@${r.offset}+${r.limit}`).sort();

describe('one upstream call per distinct window per request', () => {
  it('shares a window between aliases and fragments', async () => {
    const result = await h.query(`
      fragment Ops on TrainingJob { operations(limit: 5) { totalCount } }
      {
        a: trainingJob(jobId: "job-complete") { operations(limit: 5) { totalCount nodes { action } } }
        b: trainingJob(jobId: "job-complete") { ...Ops operations(limit: 5) { pageInfo { hasNextPage } } }
        c: trainingJob(jobId: "job-complete") { x: operations(offset: 0, limit: 5) { totalCount } y: operations(first: 5) { totalCount } }
      }`);
    expect(result.errors).toBeUndefined();
    // offset/limit and first/after that name the same window are the same call.
    expect(windows()).toEqual(['job-complete@0+5']);
  });

  it('asks once per distinct job in trainingJobs, however often a job repeats, keeping order', async () => {
    const ids = ['job-complete', 'job-empty', 'job-complete', 'job-drift', 'job-empty', 'job-complete'];
    const result = await h.query<{ trainingJobs: Array<{ jobId: string; operations: { totalCount: number } }> }>(
      `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations { totalCount } } }`,
      { ids },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJobs.map((j) => j.jobId)).toEqual(ids);
    expect(result.data!.trainingJobs.map((j) => j.operations.totalCount)).toEqual([7, 0, 7, 3, 0, 7]);
    expect(windows()).toEqual(['job-complete@0+10', 'job-drift@0+10', 'job-empty@0+10']);
  });

  it('merges windows of one job that fit in one upstream page into one call, and slices each back out', async () => {
    const result = await h.query<{
      trainingJob: Record<string, { offset: number; totalCount: number; nodes: Array<{ rawTime: number }> }>;
    }>(`{
      trainingJob(jobId: "job-long-history") {
        all: operations { offset totalCount nodes { rawTime } }
        first: operations(first: 10) { offset totalCount nodes { rawTime } }
        shifted: operations(offset: 5, limit: 10) { offset totalCount nodes { rawTime } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    // totalCount alone, first: 10 and offset: 5, limit: 10 cost one call: offset 0, limit 15.
    expect(windows()).toEqual(['job-long-history@0+15']);
    const times = JOB_HISTORIES.get('job-long-history')!.map((op) => op.time);
    const { all, first, shifted } = result.data!.trainingJob;
    expect(all!.nodes.map((n) => n.rawTime)).toEqual(times.slice(0, 10));
    expect(first!.nodes.map((n) => n.rawTime)).toEqual(times.slice(0, 10));
    expect(shifted!.nodes.map((n) => n.rawTime)).toEqual(times.slice(5, 15));
    expect([all!.totalCount, shifted!.offset]).toEqual([151, 5]);
  });

  it('makes separate calls for windows that do not fit in one upstream page together', async () => {
    await h.query(`{ trainingJob(jobId: "job-long-history") {
      a: operations(limit: 60) { totalCount } b: operations(offset: 50, limit: 60) { totalCount } c: operations(offset: 140, limit: 5) { totalCount }
    } }`);
    expect(windows()).toEqual(['job-long-history@0+60', 'job-long-history@50+95']);
  });

  it('never merges windows of different jobs', async () => {
    await h.query(
      `{ a: trainingJob(jobId: "job-complete") { operations(limit: 3) { totalCount } } b: trainingJob(jobId: "job-drift") { operations(offset: 1, limit: 3) { totalCount } } }`,
    );
    expect(windows()).toEqual(['job-complete@0+3', 'job-drift@1+3']);
  });

  it('with the page cache off, sequential requests each make their call', async () => {
    const query = `{ trainingJob(jobId: "job-complete") { operations { totalCount } } }`;
    await h.query(query);
    await h.query(query);
    expect(windows()).toEqual(['job-complete@0+10', 'job-complete@0+10']);
  });

  it('keeps at most UPSTREAM_CONCURRENCY calls in flight, and still answers them all', async () => {
    h.simulator.latencyMs = 40;
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `job-${i}`);
      const result = await h.query(`query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }`, {
        ids,
      });
      expect(result.errors).toHaveLength(12); // unknown jobs: each one its own 404
      expect(h.simulator.requests).toHaveLength(12);
      expect(h.simulator.peakInFlight).toBe(3);
    } finally {
      h.simulator.latencyMs = 0;
    }
  });
});
