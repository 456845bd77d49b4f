// The simulator's list, details and audit result: consistent with each job's
// log, X-App-UserId checked in the signature and filtering, parameters checked
// as MetaStudio checks them, and the same faults as op-logs.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient } from '../../src/upstream/client.js';
import type { UpstreamError } from '../../src/upstream/errors.js';
import { jobAuditResult } from '../../src/upstream/jobAuditResult.js';
import { encodePath, formatSdkDate, signRequest } from '../../src/upstream/signer.js';
import { toEpochMillis } from '../../src/upstream/upstreamTime.js';
import { voiceTrainingJob } from '../../src/upstream/voiceTrainingJob.js';
import { voiceTrainingJobs } from '../../src/upstream/voiceTrainingJobs.js';
import { simulatorClient } from '../support/simulatorClient.js';

let simulator: Simulator;
let client: MetaStudioClient;
beforeAll(async () => {
  simulator = await startSimulator();
  // The fault jobs below fail call after call: no breaker in the way of the later tests.
  client = simulatorClient(simulator, { retries: 0, rateLimit: 0, breakerThreshold: 1000 });
});
afterAll(async () => {
  await client.close();
  await simulator.close();
});
beforeEach(() => simulator.reset());

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: UpstreamError) => error.code,
  );

describe('consistent with each log', () => {
  it('every listed job has the details of its own, and a state, creation and update time from its log', async () => {
    const page = await client.read(voiceTrainingJobs, { offset: 0, limit: 100 });
    expect(page.count).toBe(15);
    for (const listed of page.jobs) {
      const details = await client.read(voiceTrainingJob, { jobId: listed.jobId! });
      expect(details).toEqual(listed);
      const first = await client.listOperationLogs({ jobId: listed.jobId!, offset: 0, limit: 100 });
      const rest = await client.listOperationLogs({ jobId: listed.jobId!, offset: 100, limit: 100 });
      const log = { operations: [...first.operations, ...rest.operations] };
      const times = log.operations.map((op) => toEpochMillis(op.time!));
      if (times.length === 0) continue;
      const created = log.operations.find((op) => op.action === 'CREATE_JOB');
      expect(toEpochMillis(listed.createTime!)).toBe(toEpochMillis(created!.time!));
      expect(toEpochMillis(listed.lastUpdateTime!)).toBe(Math.max(...times));
      expect(listed.rejectTimes).toBe(log.operations.filter((op) => op.action === 'AUDIT_NOT_PASS').length);
    }
  });

  it("audit results carry the log's rejection reasons", async () => {
    for (const jobId of ['job-admin-rejected', 'job-algorithm-failed']) {
      const log = await client.listOperationLogs({ jobId, offset: 0, limit: 100 });
      const rejection = log.operations.find((op) => op.action === 'AUDIT_NOT_PASS')!;
      const audit = await client.read(jobAuditResult, { jobId });
      const reasons = [audit.adminReview?.message, ...(audit.systemReview?.problems.map((p) => p.message) ?? [])];
      expect(reasons).toContain(
        rejection.externalInfo!.adminAuditFailureReason ?? rejection.externalInfo!.algorithmFailureReason,
      );
    }
    expect(await client.read(jobAuditResult, { jobId: 'job-created' })).toEqual({
      systemReview: null,
      adminReview: null,
    });
  });

  it('serves details and audit results of live jobs, and of no unknown job', async () => {
    expect((await client.read(voiceTrainingJob, { jobId: 'live-1000-catalogue' })).state).toBe('CREATING');
    expect(await code(client.read(voiceTrainingJob, { jobId: 'no-such-job' }))).toBe('UPSTREAM_NOT_FOUND');
    expect(await code(client.read(jobAuditResult, { jobId: 'no-such-job' }))).toBe('UPSTREAM_NOT_FOUND');
  });
});

describe('X-App-UserId', () => {
  it("filters the list to that user's jobs, and hides other users' details", async () => {
    const alice = await client.read(voiceTrainingJobs, { offset: 0, limit: 100, appUserId: 'user-alice' });
    expect(alice.jobs.map((job) => job.jobId).sort()).toEqual([
      'job-algorithm-failed',
      'job-complete',
      'job-in-review',
    ]);
    expect((await client.read(voiceTrainingJob, { jobId: 'job-complete', appUserId: 'user-alice' })).voiceName).toBe(
      'Warm narrator',
    );
    expect(await code(client.read(voiceTrainingJob, { jobId: 'job-complete', appUserId: 'user-bob' }))).toBe(
      'UPSTREAM_NOT_FOUND',
    );
    expect(simulator.requests.map((r) => r.headers['x-app-userid'])).toEqual(['user-alice', 'user-alice', 'user-bob']);
  });

  it('must be signed: sent but not signed is 401', async () => {
    const segments = ['v1', simulator.projectId, 'voice-training-manage', 'user', 'jobs'];
    const { Host: _host, ...headers } = signRequest(
      {
        method: 'GET',
        host: new URL(simulator.url).host,
        pathSegments: segments,
        query: {},
        headers: { 'Content-Type': 'application/json', 'X-Project-Id': simulator.projectId },
        sdkDate: formatSdkDate(new Date()),
      },
      simulator.credentials,
    );
    const response = await request(`${simulator.url}${encodePath(segments)}`, {
      headers: { ...headers, 'X-App-UserId': 'user-alice' },
    });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toMatchObject({ error_msg: expect.stringContaining('x-app-userid') });
  });

  it('that the client cannot send is refused before any request', async () => {
    expect(await code(client.read(voiceTrainingJob, { jobId: 'job-complete', appUserId: 'user\nadmin' }))).toBe(
      'UPSTREAM_BAD_REQUEST',
    );
    expect(simulator.requests).toHaveLength(0);
  });
});

describe('parameters and faults', () => {
  it.each([
    ['state', '?state=SUCCEED,DONE'],
    ['tag', '?tag=GAMING'],
    ['job_type', '?job_type=PRO'],
    ['sort_key', '?sort_key=name'],
    ['sort_dir', '?sort_dir=up'],
    ['is_ondemand_resource', '?is_ondemand_resource=yes'],
    ['create_since', '?create_since=yesterday'],
    ['limit', '?limit=101'],
  ])('refuses a bad %s with 400 MSS.00000003', async (name, query) => {
    const segments = ['v1', simulator.projectId, 'voice-training-manage', 'user', 'jobs'];
    const params = Object.fromEntries(new URLSearchParams(query));
    const { Host: _host, ...headers } = signRequest(
      {
        method: 'GET',
        host: new URL(simulator.url).host,
        pathSegments: segments,
        query: params,
        headers: { 'Content-Type': 'application/json', 'X-Project-Id': simulator.projectId },
        sdkDate: formatSdkDate(new Date()),
      },
      simulator.credentials,
    );
    const response = await request(`${simulator.url}${encodePath(segments)}${query}`, { headers });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toEqual({
      error_code: 'MSS.00000003',
      error_msg: `Invalid parameter: ${name}`,
    });
  });

  it('fails details and audit results of the fault jobs as it fails their op-logs', async () => {
    for (const jobId of ['fault-400', 'fault-403', 'fault-500', 'fault-non-json', 'fault-reset']) {
      const expected = await code(client.listOperationLogs({ jobId, offset: 0, limit: 1 }));
      expect(await code(client.read(voiceTrainingJob, { jobId }))).toBe(expected);
      expect(await code(client.read(jobAuditResult, { jobId }))).toBe(expected);
    }
  });

  it('injects a fault on one route only', async () => {
    simulator.inject({ kind: 'status', status: 500 }, { route: 'jobs' });
    expect(await code(client.read(voiceTrainingJobs, { offset: 0, limit: 1 }))).toBe('UPSTREAM_UNAVAILABLE');
    expect(await code(client.read(voiceTrainingJob, { jobId: 'job-complete' }))).toBe('ok');
  });
});
