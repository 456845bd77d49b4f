// Each upstream failure maps to its code, carries the upstream's details, and
// nulls only the failing job's `operations`: the rest of the query keeps its data.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WireOperation } from '../../src/simulator/histories.js';
import type { Fault } from '../../src/simulator/simulator.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    simulator: {
      histories: new Map([
        ['job-no-time', [{ action: 'CREATE_JOB', operator: 'USER' }]],
        // Wrong types inside one operation, as the wire could carry them.
        [
          'job-odd-types',
          [{ time: 1790934000000, action: 42, operator: 'USER', external_info: 'n/a' } as unknown as WireOperation],
        ],
      ]),
    },
    // One request per failure: retries have their own tests (test/upstream/resilience.test.ts).
    client: { timeoutMs: 400, retries: 0 },
  });
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const DASHBOARD = `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations { totalCount nodes { action } } } }`;

interface Dashboard {
  trainingJobs: Array<{ jobId: string; operations: { totalCount: number } | null }>;
}

async function failOne(fault: Fault) {
  h.simulator.inject(fault, { jobId: 'job-drift' });
  const result = await h.query<Dashboard>(DASHBOARD, { ids: ['job-complete', 'job-drift', 'job-empty'] });
  const [good, bad, empty] = result.data!.trainingJobs;
  expect(good!.operations?.totalCount).toBe(7);
  expect(empty!.operations?.totalCount).toBe(0);
  expect(bad).toEqual({ jobId: 'job-drift', operations: null });
  expect(result.errors).toHaveLength(1);
  const error = result.errors![0]!;
  expect(error.path).toEqual(['trainingJobs', 1, 'operations']);
  return error;
}

describe('upstream status codes', () => {
  it.each([
    [400, 'MSS.00000003', 'UPSTREAM_BAD_REQUEST'],
    [401, 'APIGW.0301', 'UPSTREAM_UNAUTHORIZED'],
    [403, 'APIGW.0302', 'UPSTREAM_FORBIDDEN'],
    [404, 'MSS.00000004', 'UPSTREAM_NOT_FOUND'],
    [429, 'APIGW.0308', 'UPSTREAM_THROTTLED'],
    [500, 'MSS.00000001', 'UPSTREAM_UNAVAILABLE'],
    [502, 'APIGW.0201', 'UPSTREAM_UNAVAILABLE'],
    [503, 'APIGW.0202', 'UPSTREAM_UNAVAILABLE'],
    [504, 'APIGW.0203', 'UPSTREAM_UNAVAILABLE'],
  ])('HTTP %i is %s → %s on that job only, with the upstream details', async (status, errorCode, code) => {
    const error = await failOne({ kind: 'status', status, errorCode, errorMsg: `simulated ${status}` });
    expect(error.extensions).toEqual({
      code,
      status,
      errorCode,
      errorMsg: `simulated ${status}`,
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(error.message).toContain(`HTTP ${status}`);
    // Nothing is retried: a 401 retried would count towards the AK lock.
    expect(h.simulator.requests.filter((r) => r.jobId === 'job-drift')).toHaveLength(1);
  });
});

describe('transport and body failures', () => {
  it('a reset connection is UPSTREAM_UNAVAILABLE', async () => {
    const error = await failOne({ kind: 'reset' });
    expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/network error/);
  });

  it('an upstream that never answers is UPSTREAM_UNAVAILABLE after the timeout', async () => {
    const error = await failOne({ kind: 'hang' });
    expect(error.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/no answer within 400 ms/);
  });

  it('a body that is not JSON is UPSTREAM_INVALID_RESPONSE', async () => {
    const error = await failOne({ kind: 'non-json' });
    expect(error.extensions).toMatchObject({
      code: 'UPSTREAM_INVALID_RESPONSE',
      status: 200,
      requestId: expect.any(String),
    });
    expect(error.message).toMatch(/not JSON/);
  });

  it('a body of the wrong shape is UPSTREAM_INVALID_RESPONSE naming what was wrong', async () => {
    const error = await failOne({ kind: 'wrong-shape' });
    expect(error.extensions?.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(error.message).toMatch(/count: .*number/i);
  });

  it('a missing time fails only where the time is asked for', async () => {
    const withoutTime = await h.query(`{ trainingJob(jobId: "job-no-time") { operations { nodes { action } } } }`);
    expect(withoutTime).toEqual({ data: { trainingJob: { operations: { nodes: [{ action: 'CREATE_JOB' }] } } } });

    const withTime = await h.query(`{ trainingJob(jobId: "job-no-time") { jobId operations { nodes { time } } } }`);
    expect(withTime.data).toEqual({ trainingJob: { jobId: 'job-no-time', operations: null } });
    expect(withTime.errors![0]!.extensions?.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(withTime.errors![0]!.path).toEqual(['trainingJob', 'operations', 'nodes', 0, 'time']);
  });

  it('a wrong type inside one operation fails only the fields that read it', async () => {
    const fine = await h.query(
      `{ trainingJob(jobId: "job-odd-types") { operations { totalCount nodes { time operator } } } }`,
    );
    expect(fine).toEqual({
      data: {
        trainingJob: { operations: { totalCount: 1, nodes: [{ time: '2026-10-02T09:40:00.000Z', operator: 'USER' }] } },
      },
    });

    const info = await h.query(
      `{ trainingJob(jobId: "job-odd-types") { operations { nodes { operator externalInfo { reviewIdList } } } } }`,
    );
    // externalInfo is nullable: only it is nulled.
    expect(info.data).toEqual({ trainingJob: { operations: { nodes: [{ operator: 'USER', externalInfo: null }] } } });
    expect(info.errors).toMatchObject([
      {
        path: ['trainingJob', 'operations', 'nodes', 0, 'externalInfo'],
        extensions: { code: 'UPSTREAM_INVALID_RESPONSE' },
      },
    ]);
    expect(info.errors![0]!.message).toMatch(/operations\[0\]\.external_info/);

    const action = await h.query(`{ trainingJob(jobId: "job-odd-types") { jobId operations { nodes { action } } } }`);
    expect(action.data).toEqual({ trainingJob: { jobId: 'job-odd-types', operations: null } });
    expect(action.errors![0]!.message).toMatch(/operations\[0\]\.action/);
  });

  it('passes on Retry-After, and keeps a huge error_msg short', async () => {
    const error = await failOne({
      kind: 'status',
      status: 429,
      errorCode: 'APIGW.0308',
      errorMsg: 'x'.repeat(100_000),
      retryAfterSeconds: 2,
    });
    expect(error.extensions).toMatchObject({ code: 'UPSTREAM_THROTTLED', retryAfterSeconds: 2 });
    expect((error.extensions!.errorMsg as string).length).toBeLessThanOrEqual(501);
    expect(error.message.length).toBeLessThan(700);
  });

  it('a job id the client cannot encode is a typed error, not a crash', async () => {
    const error = await h.client
      .listOperationLogs({ jobId: 'job\ud800', offset: 0, limit: 1 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', message: expect.stringMatching(/not valid Unicode/) });
    expect(h.simulator.requests).toHaveLength(0);
  });

  it('a 5xx with an HTML body (a load balancer page) is still UPSTREAM_UNAVAILABLE', async () => {
    h.simulator.inject({ kind: 'non-json', status: 502 }, { jobId: 'job-drift' });
    const result = await h.query(`{ trainingJob(jobId: "job-drift") { operations { totalCount } } }`);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 502 });
  });

  it('an upstream that is down is UPSTREAM_UNAVAILABLE', async () => {
    const { MetaStudioClient } = await import('../../src/upstream/client.js');
    const { createApp } = await import('../../src/app.js');
    // Port 9 (discard) on loopback: nothing listens there.
    const client = new MetaStudioClient({
      endpoint: 'http://127.0.0.1:9',
      projectId: h.simulator.projectId,
      credentials: h.simulator.credentials,
      timeoutMs: 2_000,
      concurrency: 1,
    });
    try {
      const response = await createApp({ client }).fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ trainingJob(jobId: "job-complete") { jobId operations { totalCount } } }' }),
      });
      const body = await response.json();
      expect(body.data).toEqual({ trainingJob: { jobId: 'job-complete', operations: null } });
      expect(body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(body.errors[0].message).toMatch(/ECONNREFUSED/);
    } finally {
      await client.close();
    }
  });
});
