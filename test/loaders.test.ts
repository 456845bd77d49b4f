// Batching proven by counting the requests that reach the simulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

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

  it('makes separate calls for distinct windows of one job', async () => {
    await h.query(`{ trainingJob(jobId: "job-long-history") { a: operations(limit: 10) { totalCount } b: operations(offset: 10, limit: 10) { totalCount } c: operations(limit: 100) { totalCount } } }`);
    expect(windows()).toEqual(['job-long-history@0+10', 'job-long-history@0+100', 'job-long-history@10+10']);
  });

  it('does not share between requests', async () => {
    const query = `{ trainingJob(jobId: "job-complete") { operations { totalCount } } }`;
    await h.query(query);
    await h.query(query);
    expect(windows()).toEqual(['job-complete@0+10', 'job-complete@0+10']);
  });

  it('keeps at most UPSTREAM_CONCURRENCY calls in flight, and still answers them all', async () => {
    h.simulator.latencyMs = 40;
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `job-${i}`);
      const result = await h.query(`query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }`, { ids });
      expect(result.errors).toHaveLength(12); // unknown jobs: each one its own 404
      expect(h.simulator.requests).toHaveLength(12);
      expect(h.simulator.peakInFlight).toBe(3);
    } finally {
      h.simulator.latencyMs = 0;
    }
  });
});
