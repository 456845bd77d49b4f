// The issue's call table for the job list, details and audit result, counted at
// the simulator, and the list's filters, orders and paging against its catalogue.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/schema/cursor.js';
import type { RecordedRequest } from '../../src/simulator/simulator.js';
import { startHarness, type Harness } from '../support/harness.js';

/** Eight more jobs, newer than the catalogue's, so that a page of 20 is full. */
const EXTRA = new Map(
  Array.from({ length: 8 }, (_, i) => {
    const start = Date.UTC(2026, 11, 1 + i, 9, 0);
    return [
      `job-batch-${i + 1}`,
      [
        { time: start, action: 'CREATE_JOB', operator: 'USER' },
        { time: start + 60_000, action: 'COMMIT_JOB', operator: 'USER' },
      ],
    ];
  }),
);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulator: { histories: EXTRA } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const routes = () => h.simulator.requests.map((r) => r.route);
const count = (route: RecordedRequest['route']) => routes().filter((r) => r === route).length;

interface ListedJob {
  jobId: string;
  voiceName: string | null;
  state: string | null;
  createdAt: string | null;
  stateChangedAt: string | null;
}

async function list(args: string, fields = 'jobId voiceName state createdAt stateChangedAt') {
  const result = await h.query<{ voiceTrainingJobs: { totalCount: number; nodes: ListedJob[] } }>(
    `{ voiceTrainingJobs${args ? `(${args})` : ''} { totalCount nodes { ${fields} } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.voiceTrainingJobs;
}

describe('the call table', () => {
  it('a list page with details fields and createdAt: 1 call', async () => {
    const page = await list('limit: 20');
    expect(page.totalCount).toBe(23);
    expect(page.nodes).toHaveLength(20);
    expect(page.nodes[0]).toMatchObject({
      jobId: 'job-batch-8',
      voiceName: 'Voice job-batch-8',
      state: 'SYSTEM_AUDITING',
      createdAt: '2026-12-08T09:00:00.000Z',
      stateChangedAt: '2026-12-08T09:01:00.000Z',
    });
    expect(routes()).toEqual(['jobs']);
    expect(h.simulator.requests[0]!.path).toContain('limit=20');
  });

  it('the same plus status and operations(limit: 3): 1 + one op-logs call per job', async () => {
    const result = await h.query<{
      voiceTrainingJobs: { nodes: Array<ListedJob & { status: string; operations: { totalCount: number } }> };
    }>(
      '{ voiceTrainingJobs(limit: 20) { totalCount nodes { jobId voiceName state createdAt stateChangedAt status operations(limit: 3) { totalCount } } } }',
    );
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.voiceTrainingJobs.nodes;
    expect(count('jobs')).toBe(1);
    expect(nodes).toHaveLength(20);
    expect(count('op-logs')).toBe(20);
    expect(count('job')).toBe(0);
    const failed = nodes.find((n) => n.jobId === 'job-training-failed')!;
    // MetaStudio's state and the log's status differ for a job that failed in training.
    expect(failed).toMatchObject({ state: 'FAILED', status: 'TRAINING' });
  });

  it('one job with details, audit result, status and operations: 3 calls, concurrently', async () => {
    h.simulator.latencyMs = 300;
    try {
      const result = await h.query(
        `{ trainingJob(jobId: "job-admin-rejected") { voiceName state auditResult { adminReview { message } } status operations(limit: 5) { totalCount } } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(routes().sort()).toEqual(['audit-result', 'job', 'op-logs']);
      // All three were at the simulator at once, whatever the machine's speed.
      expect(h.simulator.peakInFlight).toBe(3);
    } finally {
      h.simulator.latencyMs = 0;
    }
  });

  it('ten ids, one twice, asking voiceName: one details call per distinct job', async () => {
    const ids = ['job-complete', 'job-admin-rejected', 'job-algorithm-failed', 'job-empty', 'job-drift'];
    const more = ['job-created', 'job-in-review', 'job-training', 'job-uploading'];
    const jobIds = [...ids, ...more, 'job-complete'];
    const result = await h.query<{ trainingJobs: Array<{ voiceName: string }> }>(
      'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { voiceName } }',
      { ids: jobIds },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJobs).toHaveLength(10);
    expect(routes()).toEqual(Array(9).fill('job'));
  });

  it('100 concurrent identical list queries: 1 call', async () => {
    h.simulator.latencyMs = 50;
    try {
      await Promise.all(Array.from({ length: 100 }, () => list('limit: 20', 'jobId state')));
    } finally {
      h.simulator.latencyMs = 0;
    }
    expect(routes()).toEqual(['jobs']);
  });

  it('a second page through after: 1 call, at the next offset', async () => {
    const first = await h.query<{ voiceTrainingJobs: { pageInfo: { endCursor: string; hasNextPage: boolean } } }>(
      '{ voiceTrainingJobs(first: 5) { pageInfo { endCursor hasNextPage } nodes { jobId } } }',
    );
    const { endCursor, hasNextPage } = first.data!.voiceTrainingJobs.pageInfo;
    expect(hasNextPage).toBe(true);
    expect(endCursor).toBe(encodeCursor(4, 'jobs'));
    h.simulator.reset();
    const second = await h.query<{ voiceTrainingJobs: { nodes: Array<{ jobId: string }> } }>(
      'query($after: String) { voiceTrainingJobs(first: 5, after: $after) { nodes { jobId } } }',
      { after: endCursor },
    );
    expect(second.errors).toBeUndefined();
    expect(h.simulator.requests).toHaveLength(1);
    expect(h.simulator.requests[0]).toMatchObject({ route: 'jobs', offset: '5', limit: '5' });
  });

  it('_entities for 50 jobs asking voiceName state: 50 details calls, concurrent', async () => {
    const representations = Array.from({ length: 50 }, (_, i) => ({
      __typename: 'TrainingJob',
      jobId: `live-1000-e${i}`,
    }));
    h.simulator.latencyMs = 100;
    try {
      const result = await h.query<{ _entities: Array<{ voiceName: string; state: string }> }>(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { voiceName state } } }',
        { r: representations },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities.every((job) => job.state === 'CREATING')).toBe(true);
    } finally {
      h.simulator.latencyMs = 0;
    }
    expect(routes()).toEqual(Array(50).fill('job'));
    // Up to the client's concurrency cap (8) at once, not one after another.
    expect(h.simulator.peakInFlight).toBe(8);
  });
});
