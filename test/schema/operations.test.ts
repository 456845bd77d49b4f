// Paging, page info, cursors, time conversion and upstream drift, end to end
// through yoga, the loaders, the signed client and the simulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/schema/cursor.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: { action: string } }>;
  nodes: Array<{ action: string }>;
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { action } } nodes { action }`;

async function page(jobId: string, args: string): Promise<Page> {
  const result = await h.query<{ trainingJob: { operations: Page } }>(
    `query($jobId: ID!) { trainingJob(jobId: $jobId) { operations${args ? `(${args})` : ''} { ${PAGE} } } }`,
    { jobId },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.trainingJob.operations;
}

describe('offset/limit paging', () => {
  it('defaults to offset 0, limit 10, as the upstream does', async () => {
    const p = await page('job-complete', '');
    expect(p.totalCount).toBe(7);
    expect(p.nodes.map((n) => n.action)).toEqual([
      'CREATE_JOB',
      'COMMIT_JOB',
      'SYSTEM_AUDIT_PASS',
      'ADMIN_AUDIT_PASS',
      'TRAINING_FINISH',
      'UPLOADING_MODEL',
      'COMPLETE_JOB',
    ]);
    expect(p.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: encodeCursor(0),
      endCursor: encodeCursor(6),
    });
    expect(h.simulator.requests.map((r) => [r.offset, r.limit])).toEqual([['0', '10']]);
  });

  it('computes page info from the upstream count', async () => {
    const first = await page('job-complete', 'offset: 0, limit: 3');
    expect(first.nodes).toHaveLength(3);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const middle = await page('job-complete', 'offset: 3, limit: 3');
    expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    // offset + returned === count: the last page, exactly.
    const last = await page('job-complete', 'offset: 4, limit: 3');
    expect(last.nodes.map((n) => n.action)).toEqual(['TRAINING_FINISH', 'UPLOADING_MODEL', 'COMPLETE_JOB']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('answers an empty page past the end, with no cursors', async () => {
    const p = await page('job-complete', 'offset: 50');
    expect(p).toMatchObject({ totalCount: 7, nodes: [], edges: [] });
    expect(p.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('accepts the largest offset the upstream allows', async () => {
    const p = await page('job-complete', 'offset: 2147483647, limit: 100');
    expect(p.nodes).toEqual([]);
    expect(h.simulator.requests.map((r) => [r.offset, r.limit])).toEqual([['2147483647', '100']]);
  });

  it('serves an empty job', async () => {
    const p = await page('job-empty', '');
    expect(p).toMatchObject({ totalCount: 0, nodes: [], edges: [] });
    expect(p.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});

describe('Relay paging (first/after)', () => {
  it('walks a history longer than one upstream page with cursors', async () => {
    const one = await page('job-long-history', 'first: 100');
    expect(one.totalCount).toBe(151);
    expect(one.edges).toHaveLength(100);
    expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const two = await page('job-long-history', `first: 100, after: "${one.pageInfo.endCursor}"`);
    expect(two.edges).toHaveLength(51);
    expect(two.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(two.edges[0]!.cursor).toBe(encodeCursor(100));
    expect(two.nodes.at(-1)!.action).toBe('TRAINING_FINISH');
    expect(h.simulator.requests.map((r) => [r.offset, r.limit])).toEqual([
      ['0', '100'],
      ['100', '100'],
    ]);
  });

  it('continues right after any edge cursor, and cursors are stable per offset', async () => {
    const all = await page('job-complete', 'first: 7');
    const fromThird = await page('job-complete', `first: 2, after: "${all.edges[2]!.cursor}"`);
    expect(fromThird.nodes.map((n) => n.action)).toEqual(all.nodes.slice(3, 5).map((n) => n.action));
    expect(fromThird.edges.map((e) => e.cursor)).toEqual(all.edges.slice(3, 5).map((e) => e.cursor));

    const viaOffset = await page('job-complete', 'offset: 3, limit: 2');
    expect(viaOffset.edges.map((e) => e.cursor)).toEqual(fromThird.edges.map((e) => e.cursor));
  });

  it('treats explicit nulls as absent arguments', async () => {
    const viaNulls = await page(
      'job-long-history',
      `offset: null, limit: null, first: null, after: "${encodeCursor(4)}"`,
    );
    expect(viaNulls.nodes).toHaveLength(10);
    const offsetForm = await page('job-long-history', 'offset: 5, limit: 3, first: null, after: null');
    expect(offsetForm.edges[0]!.cursor).toBe(encodeCursor(5));
    expect(h.simulator.requests.map((r) => [r.offset, r.limit])).toEqual([
      ['5', '10'],
      ['5', '3'],
    ]);
  });

  it('defaults first to 10', async () => {
    const p = await page('job-long-history', `after: "${encodeCursor(4)}"`);
    expect(p.nodes).toHaveLength(10);
    expect(h.simulator.requests.map((r) => [r.offset, r.limit])).toEqual([['5', '10']]);
  });
});

describe('operation items', () => {
  it('converts epoch milliseconds and epoch seconds to ISO-8601 UTC', async () => {
    type Job = { operations: { nodes: Array<{ time: string; rawTime: number }> } };
    const result = await h.query<{ ms: Job; s: Job }>(
      `{ ms: trainingJob(jobId: "job-complete") { operations(limit: 1) { nodes { time rawTime } } }
         s: trainingJob(jobId: "job-long-history") { operations(limit: 1) { nodes { time rawTime } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const ms = result.data!.ms.operations.nodes[0]!;
    const s = result.data!.s.operations.nodes[0]!;
    expect(ms).toEqual({ time: '2026-10-02T09:15:00.000Z', rawTime: Date.UTC(2026, 9, 2, 9, 15) });
    expect(s).toEqual({ time: '2026-07-01T07:00:00.000Z', rawTime: Date.UTC(2026, 6, 1, 7, 0) / 1000 });
  });

  it('exposes review ids and both failure reasons', async () => {
    const result = await h.query<{
      admin: {
        operations: {
          nodes: Array<{ action: string; operator: string; externalInfo: Record<string, unknown> | null }>;
        };
      };
      algo: {
        operations: {
          nodes: Array<{ action: string; operator: string; externalInfo: Record<string, unknown> | null }>;
        };
      };
    }>(`
      fragment Info on TrainingJob { operations { nodes { action operator externalInfo { reviewIdList algorithmFailureReason adminAuditFailureReason } } } }
      { admin: trainingJob(jobId: "job-admin-rejected") { ...Info } algo: trainingJob(jobId: "job-algorithm-failed") { ...Info } }`);
    expect(result.errors).toBeUndefined();
    const rejection = result.data!.admin.operations.nodes.at(-1)!;
    expect(rejection).toMatchObject({ action: 'AUDIT_NOT_PASS', operator: 'ADMIN' });
    expect(rejection.externalInfo).toMatchObject({
      reviewIdList: ['rv-19ab-speech-1', 'rv-19ab-speech-2'],
      algorithmFailureReason: null,
      adminAuditFailureReason: expect.stringContaining('authorization letter'),
    });
    const failure = result.data!.algo.operations.nodes.at(-1)!;
    expect(failure).toMatchObject({ action: 'AUDIT_NOT_PASS', operator: 'SYSTEM' });
    expect(failure.externalInfo).toMatchObject({
      algorithmFailureReason: expect.stringContaining('SNR'),
      adminAuditFailureReason: null,
    });
  });

  it('maps values it does not know to UNKNOWN, keeps the raw strings, and tolerates missing info', async () => {
    const result = await h.query<{ trainingJob: { operations: { nodes: unknown[] } } }>(
      `{ trainingJob(jobId: "job-drift") { operations { nodes { action rawAction operator rawOperator externalInfo { reviewIdList } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJob.operations.nodes).toEqual([
      {
        action: 'CREATE_JOB',
        rawAction: 'CREATE_JOB',
        operator: 'USER',
        rawOperator: 'USER',
        externalInfo: { reviewIdList: [] },
      },
      { action: 'UNKNOWN', rawAction: 'PAUSE_JOB', operator: 'UNKNOWN', rawOperator: 'SCHEDULER', externalInfo: null },
      { action: 'COMMIT_JOB', rawAction: 'COMMIT_JOB', operator: 'USER', rawOperator: 'USER', externalInfo: null },
    ]);
  });
});
