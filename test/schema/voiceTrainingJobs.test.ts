// The issue's call table for the job list, details and audit result, counted at
// the simulator, and the list's filters, orders and paging against its catalogue.
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/schema/cursor.js';
import { schema } from '../../src/schema/index.js';
import { estimateUpstreamCalls } from '../../src/security/useUpstreamCallLimit.js';
import { PAGE_CACHE_DEFAULTS, PageCache } from '../../src/upstream/pageCache.js';
import type { RecordedRequest } from '../../src/simulator/simulator.js';
import { startHarness, type GraphQLResult, type Harness } from '../support/harness.js';

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
    const more = ['job-created', 'job-in-review', 'job-training', 'job-uploading', 'job-paused'];
    const jobIds = [...ids, ...more, 'job-complete'];
    const result = await h.query<{ trainingJobs: Array<{ voiceName: string }> }>(
      'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { voiceName } }',
      { ids: jobIds },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.trainingJobs).toHaveLength(11);
    expect(routes()).toEqual(Array(10).fill('job'));
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

interface CatalogueJob extends ListedJob {
  jobType: string | null;
  tag: string | null;
  batchName: string | null;
  onDemand: boolean | null;
}

const ALL = 'jobId voiceName state createdAt stateChangedAt jobType tag batchName onDemand';

describe('filters and orders, against the simulator catalogue', () => {
  let catalogue: CatalogueJob[];
  beforeAll(async () => {
    catalogue = (await list('limit: 100', ALL)).nodes as CatalogueJob[];
    expect(catalogue).toHaveLength(23);
  });

  const ms = (value: string | null) => (value === null ? 0 : Date.parse(value));
  const ids = (jobs: ListedJob[]) => jobs.map((job) => job.jobId);
  /** The catalogue's jobs that `keep` keeps, newest first as the default order gives them. */
  const expected = (keep: (job: CatalogueJob) => boolean) => ids(catalogue.filter(keep));

  it.each<[string, string, string, (job: CatalogueJob) => boolean]>([
    [
      'states',
      '{ states: [AUDIT_FAILED, FAILED] }',
      'state=AUDIT_FAILED%2CFAILED',
      (j) => ['AUDIT_FAILED', 'FAILED'].includes(j.state!),
    ],
    ['jobId', '{ jobId: "job-complete" }', 'job_id=job-complete', (j) => j.jobId === 'job-complete'],
    [
      'voiceName',
      '{ voiceName: "Warm narrator" }',
      'voice_name=Warm%20narrator',
      (j) => j.voiceName === 'Warm narrator',
    ],
    ['jobType', '{ jobType: MIDDLE }', 'job_type=MIDDLE', (j) => j.jobType === 'MIDDLE'],
    ['tag', '{ tag: CUSTOMER }', 'tag=CUSTOMER', (j) => j.tag === 'CUSTOMER'],
    ['batchName', '{ batchName: "autumn-2026" }', 'batch_name=autumn-2026', (j) => j.batchName === 'autumn-2026'],
    [
      'createdAfter and createdBefore, bounds inclusive',
      '{ createdAfter: "2026-11-03T08:00:00Z", createdBefore: "2026-11-10T14:00:00Z" }',
      'create_since=2026-11-03T08%3A00%3A00Z&create_until=2026-11-10T14%3A00%3A00Z',
      (j) => ms(j.createdAt) >= Date.UTC(2026, 10, 3, 8) && ms(j.createdAt) <= Date.UTC(2026, 10, 10, 14),
    ],
    [
      'updatedAfter and updatedBefore, on stateChangedAt',
      '{ updatedAfter: "2026-11-20T00:00:00Z", updatedBefore: "2026-11-27T10:12:00Z" }',
      'update_since=2026-11-20T00%3A00%3A00Z&update_until=2026-11-27T10%3A12%3A00Z',
      (j) => ms(j.stateChangedAt) >= Date.UTC(2026, 10, 20) && ms(j.stateChangedAt) <= Date.UTC(2026, 10, 27, 10, 12),
    ],
    ['onDemand: false', '{ onDemand: false }', 'is_ondemand_resource=false', (j) => j.onDemand === false],
    ['onDemand: true', '{ onDemand: true }', 'is_ondemand_resource=true', (j) => j.onDemand === true],
  ])('%s', async (_name, filter, sent, keep) => {
    const page = await list(`limit: 100, filter: ${filter}`, ALL);
    expect(h.simulator.requests[0]!.path).toContain(sent);
    expect(page.nodes.length).toBeGreaterThan(0);
    expect(page.nodes.length).toBeLessThan(catalogue.length);
    expect(ids(page.nodes)).toEqual(expected(keep));
    expect(page.totalCount).toBe(page.nodes.length);
  });

  it.each<[string, 'createdAt' | 'stateChangedAt', 1 | -1, string]>([
    ['CREATED_AT', 'createdAt', 1, 'sort_dir=asc&sort_key=create_time'],
    ['CREATED_AT', 'createdAt', -1, 'sort_dir=desc&sort_key=create_time'],
    ['UPDATED_AT', 'stateChangedAt', 1, 'sort_dir=asc&sort_key=update_time'],
    ['UPDATED_AT', 'stateChangedAt', -1, 'sort_dir=desc&sort_key=update_time'],
  ])('orderBy %s %s', async (field, key, sign, sent) => {
    const direction = sign === 1 ? 'ASC' : 'DESC';
    const page = await list(`limit: 100, orderBy: { field: ${field}, direction: ${direction} }`, ALL);
    expect(h.simulator.requests[0]!.path).toContain(sent);
    const sorted = [...catalogue].sort((a, b) => sign * (ms(a[key]) - ms(b[key])) || (a.jobId < b.jobId ? -1 : 1));
    expect(ids(page.nodes)).toEqual(ids(sorted));
  });

  it('pages by offset: consecutive pages cover the catalogue once', async () => {
    const pages = await Promise.all([0, 8, 16].map((offset) => list(`offset: ${offset}, limit: 8`, 'jobId')));
    expect(pages.flatMap((page) => ids(page.nodes))).toEqual(ids(catalogue));
  });

  it('pages by cursor to the end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = { voiceTrainingJobs: { nodes: ListedJob[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
      const result: GraphQLResult<Page> = await h.query<Page>(
        'query($after: String) { voiceTrainingJobs(first: 10, after: $after) { nodes { jobId } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const { nodes, pageInfo } = result.data!.voiceTrainingJobs;
      seen.push(...ids(nodes));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(ids(catalogue));
  });
});

describe('bad input is BAD_USER_INPUT before any call', () => {
  it.each([
    ['an empty states list', 'filter: { states: [] }'],
    ['UNKNOWN in states', 'filter: { states: [SUCCEED, UNKNOWN] }'],
    ['UNKNOWN jobType', 'filter: { jobType: UNKNOWN }'],
    ['UNKNOWN tag', 'filter: { tag: UNKNOWN }'],
    ['a job id with a slash', 'filter: { jobId: "a/b" }'],
    ['an empty voice name', 'filter: { voiceName: "" }'],
    ['both paging forms', 'offset: 0, first: 5'],
    ['more than 100 a page', 'limit: 101'],
    ['a forged cursor', 'after: "b3BlcmF0aW9uOjU"'],
    ["an operation log's cursor", `after: "${encodeCursor(4)}"`],
  ])('%s', async (_name, args) => {
    const result = await h.query(`{ voiceTrainingJobs(${args}) { totalCount } }`);
    expect(result.data).toEqual({ voiceTrainingJobs: null });
    expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(h.simulator.requests).toHaveLength(0);
  });
});

describe('a failed list call', () => {
  it('nulls this field only, with its UPSTREAM_* code', async () => {
    h.simulator.inject({ kind: 'status', status: 503, errorCode: 'APIGW.0202' }, { route: 'jobs' });
    const result = await h.query<{ voiceTrainingJobs: null; trainingJob: { voiceName: string } }>(
      '{ voiceTrainingJobs { totalCount } trainingJob(jobId: "job-complete") { voiceName } }',
    );
    expect(result.data).toEqual({ voiceTrainingJobs: null, trainingJob: { voiceName: 'Warm narrator' } });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['voiceTrainingJobs'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', status: 503 },
    });
  });
});

describe('within the cache TTL', () => {
  let cached: Harness;
  beforeAll(async () => {
    cached = await startHarness({ client: { pageCache: new PageCache({ ...PAGE_CACHE_DEFAULTS, ttlMs: 60_000 }) } });
  });
  afterAll(() => cached.close());

  it('each query of the table asked again makes no call', async () => {
    const queries = [
      '{ voiceTrainingJobs(limit: 20) { totalCount nodes { jobId voiceName state createdAt stateChangedAt } } }',
      '{ voiceTrainingJobs(limit: 20) { nodes { status operations(limit: 3) { totalCount } } } }',
      '{ trainingJob(jobId: "job-admin-rejected") { voiceName state auditResult { adminReview { message } } status operations(limit: 5) { totalCount } } }',
      '{ trainingJobs(jobIds: ["job-complete", "job-empty", "job-complete"]) { voiceName } }',
      '{ voiceTrainingJobs(first: 5, after: "am9iczo0") { nodes { jobId } } }',
    ];
    for (const query of queries) expect((await cached.query(query)).errors).toBeUndefined();
    const made = cached.simulator.requests.length;
    expect(made).toBeGreaterThan(0);
    for (const query of queries) expect((await cached.query(query)).errors).toBeUndefined();
    expect(cached.simulator.requests.length).toBe(made);
  });
});

describe('MAX_UPSTREAM_CALLS prices each kind of call before execution', () => {
  const estimate = (query: string) => estimateUpstreamCalls(schema, parse(query), undefined, {});

  it.each([
    [
      'a list page, its details and createdAt',
      '{ voiceTrainingJobs(limit: 20) { nodes { voiceName state createdAt } } }',
      1,
    ],
    [
      'a list page with the log fields of its 20 jobs',
      '{ voiceTrainingJobs(first: 20) { nodes { status operations(limit: 3) { totalCount } } } }',
      61,
    ],
    [
      'details 1, audit 1, per job',
      '{ trainingJob(jobId: "a") { voiceName state assetId auditResult { adminReview { message } } } }',
      2,
    ],
    ['details per distinct job', '{ trainingJobs(jobIds: ["a", "b", "a"]) { voiceName tag } }', 2],
    ['the default page of 10', '{ voiceTrainingJobs { nodes { auditResult { adminReview { message } } } } }', 11],
  ])('%s', (_name, query, calls) => {
    expect(estimate(query)).toBe(calls);
  });

  it('refuses an over-budget document with no call', async () => {
    const result = await h.query('{ voiceTrainingJobs(limit: 100) { nodes { status } } }');
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'MAX_UPSTREAM_CALLS' });
    expect(h.simulator.requests).toHaveLength(0);
  });
});
