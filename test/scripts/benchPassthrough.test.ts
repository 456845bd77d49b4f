// The benchmark's baseline must ask the upstream what the server asks, signed
// the same way, and answer the same operations; otherwise the ratio means nothing.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPassthrough, type Passthrough } from '../../scripts/benchPassthrough.js';
import { startHarness, type Harness } from '../support/harness.js';

describe('bench passthrough', () => {
  let h: Harness;
  let passthrough: Passthrough;
  beforeAll(async () => {
    h = await startHarness();
    passthrough = await startPassthrough({
      endpoint: h.simulator.url,
      projectId: h.simulator.projectId,
      credentials: h.simulator.credentials,
      connections: 4,
    });
  });
  afterAll(async () => {
    await passthrough.close();
    await h.close();
  });

  it('answers the same operations as the server, with one signed upstream call per distinct job', async () => {
    const server = await h.query<{
      trainingJob: { operations: { totalCount: number; nodes: Array<{ rawTime: number; rawAction: string }> } };
    }>(
      '{ trainingJob(jobId: "job-long-history") { operations(first: 10) { totalCount nodes { rawTime rawAction } } } }',
    );
    h.simulator.reset();
    const response = await request(passthrough.url, {
      method: 'POST',
      body: JSON.stringify({ jobIds: ['job-long-history', 'job-complete', 'job-long-history'], limit: 10 }),
    });
    const { jobs } = (await response.body.json()) as {
      jobs: Array<{ jobId: string; count: number; operations: Array<{ time: number; action: string }> }>;
    };

    expect(response.statusCode).toBe(200);
    expect(jobs.map((job) => job.jobId)).toEqual(['job-long-history', 'job-complete', 'job-long-history']);
    const { totalCount, nodes } = server.data!.trainingJob.operations;
    expect(jobs[0]!.count).toBe(totalCount);
    expect(jobs[0]!.operations.map((op) => ({ rawTime: op.time, rawAction: op.action }))).toEqual(nodes);
    expect(h.simulator.requests.map((r) => [r.jobId, r.offset, r.limit, r.status])).toEqual(
      expect.arrayContaining([
        ['job-long-history', '0', '10', 200],
        ['job-complete', '0', '10', 200],
      ]),
    );
    expect(h.simulator.requests).toHaveLength(2);
  });
});
