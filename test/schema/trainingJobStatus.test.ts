// The derived status fields on TrainingJob, through GraphQL against the
// simulator, counting the upstream calls they cost.
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { estimateUpstreamCalls } from '../../src/security/useUpstreamCallLimit.js';
import { JOB_HISTORIES, type WireOperation } from '../../src/simulator/histories.js';
import { startHarness, type Harness } from '../support/harness.js';

const BROKEN: ReadonlyMap<string, WireOperation[]> = new Map([
  [
    'job-no-times',
    [
      { action: 'CREATE_JOB', operator: 'USER' },
      { action: 'COMPLETE_JOB', operator: 'SYSTEM' },
    ],
  ],
  [
    'job-bad-rejection',
    [
      {
        time: Date.UTC(2026, 10, 1),
        action: 'AUDIT_NOT_PASS',
        operator: 7,
        external_info: 'nope',
      } as unknown as WireOperation,
    ],
  ],
]);

let clock = Date.UTC(2026, 11, 5, 12, 0);
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ simulator: { histories: BROKEN, now: () => clock } });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const SUMMARY = 'status latestOperation { action rawAction time } createdAt completedAt failureReason rejectedBy';

interface Summary {
  status: string | null;
  latestOperation: { action: string; rawAction: string; time: string } | null;
  createdAt: string | null;
  completedAt: string | null;
  failureReason: string | null;
  rejectedBy: string | null;
}

async function summary(jobId: string) {
  const result = await h.query<{ trainingJob: Summary }>(`query($id: ID!) { trainingJob(jobId: $id) { ${SUMMARY} } }`, {
    id: jobId,
  });
  return { result, job: result.data?.trainingJob };
}

const iso = (ms: number) => new Date(ms).toISOString();
const wire = (jobId: string) => JOB_HISTORIES.get(jobId)!;
const timeOf = (jobId: string, i: number) => iso(wire(jobId).at(i)!.time!);

describe('the status table, row by row', () => {
  it.each([
    ['job-created', 'CREATE_JOB', 'CREATED'],
    ['job-drift', 'COMMIT_JOB', 'IN_REVIEW'],
    ['job-in-review', 'SYSTEM_AUDIT_PASS', 'IN_REVIEW'],
    ['job-admin-rejected', 'AUDIT_NOT_PASS', 'REJECTED'],
    ['job-training', 'ADMIN_AUDIT_PASS', 'TRAINING'],
    ['job-long-history', 'TRAINING_FINISH', 'PUBLISHING'],
    ['job-uploading', 'UPLOADING_MODEL', 'PUBLISHING'],
    ['job-complete', 'COMPLETE_JOB', 'COMPLETED'],
    ['job-paused', 'UNKNOWN', 'UNKNOWN'],
  ])('%s: newest action %s → %s', async (jobId, action, status) => {
    const { result, job } = await summary(jobId);
    expect(result.errors).toBeUndefined();
    expect(job).toMatchObject({ status, latestOperation: { action, rawAction: wire(jobId).at(-1)!.action } });
  });

  it('an unknown newest action keeps its raw value; the job is UNKNOWN, not failed', async () => {
    const { job } = await summary('job-paused');
    expect(job).toEqual({
      status: 'UNKNOWN',
      latestOperation: { action: 'UNKNOWN', rawAction: 'PAUSE_JOB', time: timeOf('job-paused', -1) },
      createdAt: timeOf('job-paused', 0),
      completedAt: null,
      failureReason: null,
      rejectedBy: null,
    });
  });

  it('an empty log: every field null, no error, one call', async () => {
    const { result, job } = await summary('job-empty');
    expect(result).toEqual({
      data: {
        trainingJob: {
          status: null,
          latestOperation: null,
          createdAt: null,
          completedAt: null,
          failureReason: null,
          rejectedBy: null,
        },
      },
    });
    expect(job).toBeDefined();
    expect(h.simulator.requests).toHaveLength(1);
  });

  it('a completed job: created and completed times, no failure', async () => {
    const { job } = await summary('job-complete');
    expect(job).toEqual({
      status: 'COMPLETED',
      latestOperation: { action: 'COMPLETE_JOB', rawAction: 'COMPLETE_JOB', time: timeOf('job-complete', -1) },
      createdAt: timeOf('job-complete', 0),
      completedAt: timeOf('job-complete', -1),
      failureReason: null,
      rejectedBy: null,
    });
  });

  it('rejected by an administrator: the admin reason, ADMIN', async () => {
    const { job } = await summary('job-admin-rejected');
    expect(job).toMatchObject({
      status: 'REJECTED',
      failureReason: wire('job-admin-rejected').at(-1)!.external_info!.admin_audit_failure_reason,
      rejectedBy: 'ADMIN',
      completedAt: null,
    });
  });

  it('failed the automatic check: the algorithm reason, SYSTEM', async () => {
    const { job } = await summary('job-algorithm-failed');
    expect(job).toMatchObject({
      status: 'REJECTED',
      failureReason: wire('job-algorithm-failed').at(-1)!.external_info!.algorithm_failure_reason,
      rejectedBy: 'SYSTEM',
    });
  });

  it('a resubmitted job is back in review: REJECTED was not final, and its reason is gone', async () => {
    const { job } = await summary('job-resubmitted');
    expect(job).toMatchObject({
      status: 'IN_REVIEW',
      latestOperation: { action: 'COMMIT_JOB' },
      failureReason: null,
      rejectedBy: null,
    });
  });

  it('times that disagree with list order: the greatest time is the newest', async () => {
    const { job } = await summary('job-out-of-order');
    const newest = wire('job-out-of-order').reduce((a, b) => (b.time! > a.time! ? b : a));
    expect(job).toMatchObject({
      status: 'TRAINING',
      latestOperation: { action: 'ADMIN_AUDIT_PASS', time: iso(newest.time!) },
    });
  });

  it('completed twice: completedAt is the newest COMPLETE_JOB', async () => {
    const { job } = await summary('job-retrained');
    const completions = wire('job-retrained').filter((op) => op.action === 'COMPLETE_JOB');
    expect(job).toMatchObject({
      status: 'COMPLETED',
      createdAt: timeOf('job-retrained', 0),
      completedAt: iso(completions[1]!.time!),
    });
  });
});

describe('a live job, as it progresses', () => {
  it('moves through every status to COMPLETED', async () => {
    const seen: Array<string | null | undefined> = [];
    const started = clock;
    for (let step = 0; step < 7; step++) {
      seen.push((await summary('live-1000-status')).job?.status);
      clock += 1000;
    }
    expect(seen).toEqual(['CREATED', 'IN_REVIEW', 'IN_REVIEW', 'TRAINING', 'PUBLISHING', 'PUBLISHING', 'COMPLETED']);
    const { job } = await summary('live-1000-status');
    expect(job).toMatchObject({
      createdAt: iso(started),
      completedAt: iso(started + 6000),
      latestOperation: { time: iso(started + 6000) },
    });
  });

  it('the rejected variant ends REJECTED with the admin reason', async () => {
    await summary('live-10-rejected-status');
    clock += 60_000;
    const { job } = await summary('live-10-rejected-status');
    expect(job).toMatchObject({
      status: 'REJECTED',
      rejectedBy: 'ADMIN',
      failureReason: expect.stringMatching(/authorization letter/),
    });
  });
});

describe('cost', () => {
  it('all status fields and windows in the first 100 cost one upstream call', async () => {
    const result = await h.query<{
      trainingJob: Summary & {
        operations: { totalCount: number; nodes: Array<{ action: string }> };
        relay: { edges: unknown[] };
      };
    }>(
      `{ trainingJob(jobId: "job-complete") {
          ${SUMMARY}
          operations(offset: 2, limit: 3) { totalCount nodes { action } }
          relay: operations(first: 5) { edges { cursor } }
        } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJob).toMatchObject({
      status: 'COMPLETED',
      operations: {
        totalCount: 7,
        nodes: [{ action: 'SYSTEM_AUDIT_PASS' }, { action: 'ADMIN_AUDIT_PASS' }, { action: 'TRAINING_FINISH' }],
      },
    });
    expect(result.data!.trainingJob.relay.edges).toHaveLength(5);
    expect(h.simulator.requests.map(({ offset, limit }) => [offset, limit])).toEqual([['0', '100']]);
  });

  it('a window past the first 100 is a call of its own', async () => {
    const result = await h.query(
      `{ trainingJob(jobId: "job-long-history") { operations(offset: 95, limit: 10) { totalCount } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(h.simulator.requests).toHaveLength(1);
  });

  it('a log longer than 100: two calls, the first page and the page holding the newest operation', async () => {
    const result = await h.query<{ trainingJob: Summary & { operations: { totalCount: number } } }>(
      `{ trainingJob(jobId: "job-long-history") { ${SUMMARY} operations(limit: 10) { totalCount } } }`,
    );
    expect(result.errors).toBeUndefined();
    const history = wire('job-long-history');
    // Epoch seconds on the wire.
    expect(result.data!.trainingJob).toMatchObject({
      status: 'PUBLISHING',
      latestOperation: { action: 'TRAINING_FINISH', time: iso(history.at(-1)!.time! * 1000) },
      createdAt: iso(history[0]!.time! * 1000),
      completedAt: null,
      failureReason: null,
      operations: { totalCount: history.length },
    });
    expect(h.simulator.requests.map(({ offset, limit }) => [offset, limit])).toEqual([
      ['0', '100'],
      [String(history.length - 100), '100'],
    ]);
  });

  it('several jobs: one call each, batched in one request', async () => {
    const result = await h.query<{ trainingJobs: Array<{ jobId: string; status: string }> }>(
      `{ trainingJobs(jobIds: ["job-complete", "job-admin-rejected", "job-complete", "job-created"]) { jobId status failureReason } }`,
    );
    expect(result.data!.trainingJobs.map((j) => j.status)).toEqual(['COMPLETED', 'REJECTED', 'COMPLETED', 'CREATED']);
    expect(h.simulator.requests.map((r) => r.jobId).sort()).toEqual([
      'job-admin-rejected',
      'job-complete',
      'job-created',
    ]);
  });
});

describe('MAX_UPSTREAM_CALLS counts the status fields as one read of at most two calls per job', () => {
  const estimate = (query: string, variables?: Record<string, unknown>) =>
    estimateUpstreamCalls(schema, parse(query), undefined, variables);

  it('estimates', () => {
    expect(estimate('{ trainingJob(jobId: "a") { status } }')).toBe(2);
    expect(estimate(`{ trainingJob(jobId: "a") { ${SUMMARY} again: status latest: latestOperation { time } } }`)).toBe(
      2,
    );
    // Windows are counted on their own: the estimate does not count on merging.
    expect(estimate('{ trainingJob(jobId: "a") { status operations { totalCount } } }')).toBe(3);
    expect(estimate(`{ trainingJobs(jobIds: ["a", "b", "c", "a"]) { ${SUMMARY} } }`)).toBe(6);
    expect(estimate(`{ a: trainingJob(jobId: "a") { status } b: trainingJob(jobId: "b") { createdAt } }`)).toBe(4);
    const r = ['a', 'b', 'c', 'd'].map((jobId) => ({ __typename: 'TrainingJob', jobId }));
    expect(
      estimate(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { status ...S } } } fragment S on TrainingJob { failureReason }',
        { r },
      ),
    ).toBe(8);
  });

  it('refuses before any call when over the limit', async () => {
    const limited = await startHarness({ security: { limits: { ...DEFAULT_SECURITY.limits, maxUpstreamCalls: 3 } } });
    try {
      const ok = await limited.query('{ trainingJob(jobId: "job-complete") { status completedAt } }');
      expect(ok.errors).toBeUndefined();
      const refused = await limited.query('{ trainingJobs(jobIds: ["job-complete", "job-created"]) { status } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
      expect(limited.simulator.requests).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

describe('federation: _entities resolves the same fields as Query', () => {
  it('the same values, at the same cost', async () => {
    const jobIds = ['job-admin-rejected', 'job-resubmitted', 'job-empty'];
    const viaEntities = await h.query<{ _entities: Summary[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { ${SUMMARY} } } }`,
      { r: jobIds.map((jobId) => ({ __typename: 'TrainingJob', jobId })) },
    );
    expect(viaEntities.errors).toBeUndefined();
    expect(h.simulator.requests).toHaveLength(3);
    const viaQuery = await Promise.all(jobIds.map(async (jobId) => (await summary(jobId)).job));
    expect(viaEntities.data!._entities).toEqual(viaQuery);
    expect(viaEntities.data!._entities.map((e) => e.status)).toEqual(['REJECTED', 'IN_REVIEW', null]);
  });

  it('an entity with a window shares the call', async () => {
    const result = await h.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { status operations(limit: 2) { totalCount } } } }`,
      { r: [{ __typename: 'TrainingJob', jobId: 'job-complete' }] },
    );
    expect(result).toEqual({ data: { _entities: [{ status: 'COMPLETED', operations: { totalCount: 7 } }] } });
    expect(h.simulator.requests).toHaveLength(1);
  });
});

describe('failures stay on their fields', () => {
  it('an upstream failure nulls the status fields with its code, the job stays', async () => {
    const result = await h.query<{ trainingJob: { jobId: string; status: null; createdAt: null } }>(
      '{ trainingJob(jobId: "no-such-job") { jobId status createdAt } }',
    );
    expect(result.data!.trainingJob).toEqual({ jobId: 'no-such-job', status: null, createdAt: null });
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual([
      ['trainingJob.status', 'UPSTREAM_NOT_FOUND'],
      ['trainingJob.createdAt', 'UPSTREAM_NOT_FOUND'],
    ]);
    expect(h.simulator.requests).toHaveLength(1);
  });

  it('operations without a time: status still answers, createdAt and completedAt fail alone', async () => {
    const result = await h.query<{ trainingJob: Partial<Summary> }>(
      '{ trainingJob(jobId: "job-no-times") { status createdAt completedAt } }',
    );
    expect(result.data!.trainingJob).toEqual({ status: 'COMPLETED', createdAt: null, completedAt: null });
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual([
      ['trainingJob.createdAt', 'UPSTREAM_INVALID_RESPONSE'],
      ['trainingJob.completedAt', 'UPSTREAM_INVALID_RESPONSE'],
    ]);
  });

  it('a rejection with unreadable fields: failureReason and rejectedBy fail alone', async () => {
    const result = await h.query<{ trainingJob: Partial<Summary> }>(
      '{ trainingJob(jobId: "job-bad-rejection") { status failureReason rejectedBy } }',
    );
    expect(result.data!.trainingJob).toEqual({ status: 'REJECTED', failureReason: null, rejectedBy: null });
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code, e.message])).toEqual([
      ['trainingJob.failureReason', 'UPSTREAM_INVALID_RESPONSE', expect.stringMatching(/external_info/)],
      ['trainingJob.rejectedBy', 'UPSTREAM_INVALID_RESPONSE', expect.stringMatching(/operator/)],
    ]);
  });
});
