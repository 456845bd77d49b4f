// Every new field of TrainingJob on a job of each kind, as the simulator's
// catalogue tells it; UNKNOWN for values MetaStudio adds later; a malformed
// details body failing only the fields that need it; one meaning per field
// whether the job came from the list, by id or through _entities.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

const DETAILS = `jobId voiceName jobType state stateChangedAt appUserId rejectionCount assetId
  trainingFailure { code reason } tag batchName onDemand remake language outputLanguage speakerSex createType
  allocatedResource { resourceId chargeMode expiresAt } authorizationLetterUrl trainingDataUrl avatarJobId
  assessment { suggestion metrics { name expected actual suggestion suggestionEn outOfRange } } createdAt`;
const AUDIT = `auditResult { systemReview { reviewedAt problems { audioName textName code message } }
  adminReview { reviewedAt message attachmentName attachmentUrl } }`;

type Job = Record<string, unknown>;

async function job(jobId: string, fields = `${DETAILS} ${AUDIT} status`): Promise<Job> {
  const result = await h.query<{ trainingJob: Job }>(`query($id: ID!) { trainingJob(jobId: $id) { ${fields} } }`, {
    id: jobId,
  });
  expect(result.errors).toBeUndefined();
  return result.data!.trainingJob;
}

describe('every new field, on a job of each kind', () => {
  it('completed: the asset, the resource, the assessment and both reviews passed', async () => {
    expect(await job('job-complete')).toEqual({
      jobId: 'job-complete',
      voiceName: 'Warm narrator',
      jobType: 'MIDDLE',
      state: 'SUCCEED',
      stateChangedAt: '2026-10-03T00:15:00.000Z',
      appUserId: 'user-alice',
      rejectionCount: 0,
      assetId: 'asset-7c1e0b2d',
      trainingFailure: null,
      tag: 'STORYTELLING',
      batchName: 'autumn-2026',
      onDemand: false,
      remake: false,
      language: 'CN',
      outputLanguage: 'CN',
      speakerSex: 'FEMALE',
      createType: 'SEGMENT',
      allocatedResource: { resourceId: 'res-0042', chargeMode: 'PERIODIC', expiresAt: '2027-10-02T00:00:00.000Z' },
      authorizationLetterUrl: 'https://obs.simulator.invalid/authorization/job-complete.pdf',
      trainingDataUrl: 'https://obs.simulator.invalid/input/job-complete.zip',
      avatarJobId: 'dhtms-5521',
      assessment: {
        suggestion: 'The recordings are fit for training.',
        metrics: [
          {
            name: 'speed',
            expected: '3.5-5.5',
            actual: '4.2',
            suggestion: '语速正常',
            suggestionEn: 'Normal pace',
            outOfRange: false,
          },
          {
            name: 'snr',
            expected: '>=30',
            actual: '38.5',
            suggestion: '信噪比正常',
            suggestionEn: 'Clean signal',
            outOfRange: false,
          },
          {
            name: 'dnsmos_ovrl',
            expected: '>=3.0',
            actual: '3.4',
            suggestion: '音质良好',
            suggestionEn: 'Good quality',
            outOfRange: false,
          },
        ],
      },
      createdAt: '2026-10-02T09:15:00.000Z',
      auditResult: {
        systemReview: { reviewedAt: '2026-10-02T09:43:00.000Z', problems: [] },
        adminReview: {
          reviewedAt: '2026-10-02T14:43:00.000Z',
          message: 'Approved.',
          attachmentName: null,
          attachmentUrl: null,
        },
      },
      status: 'COMPLETED',
    });
  });

  it('rejected by an administrator: the reviewer message and attachment, the log reason', async () => {
    const rejected = await job('job-admin-rejected', `${DETAILS} ${AUDIT} status failureReason`);
    expect(rejected).toMatchObject({
      state: 'AUDIT_FAILED',
      status: 'REJECTED',
      rejectionCount: 1,
      jobType: 'ADVANCE',
      appUserId: 'user-bob',
      assetId: null,
      assessment: null,
      auditResult: {
        systemReview: { problems: [] },
        adminReview: {
          reviewedAt: '2026-10-15T14:22:00.000Z',
          attachmentName: 'review-notes.pdf',
          attachmentUrl: 'https://obs.simulator.invalid/review/job-admin-rejected/review-notes.pdf',
        },
      },
    });
    const audit = rejected.auditResult as { adminReview: { message: string } };
    expect(audit.adminReview.message).toBe(rejected.failureReason);
  });

  it('rejected by the automatic check: each failing recording and check, the assessment out of range', async () => {
    const rejected = await job('job-algorithm-failed', `${DETAILS} ${AUDIT} status failureReason`);
    expect(rejected).toMatchObject({
      state: 'AUDIT_FAILED',
      status: 'REJECTED',
      tag: 'CUSTOMER',
      auditResult: {
        systemReview: {
          reviewedAt: '2026-11-03T08:19:00.000Z',
          problems: [
            {
              audioName: 'rv-5d02-speech-1.wav',
              textName: 'rv-5d02-speech-1.txt',
              code: 'MSS.10230001',
              message: rejected.failureReason,
            },
          ],
        },
        adminReview: null,
      },
    });
    const metrics = (rejected.assessment as { metrics: Array<{ name: string; outOfRange: boolean }> }).metrics;
    expect(metrics.find((m) => m.name === 'snr')).toMatchObject({ outOfRange: true });
  });

  it('failed in training: state FAILED with code and reason, while the log still says TRAINING', async () => {
    expect(await job('job-training-failed')).toMatchObject({
      state: 'FAILED',
      status: 'TRAINING',
      trainingFailure: {
        code: 'MSS.20010017',
        reason: 'Training did not converge: too few usable sentences after splitting.',
      },
      assetId: null,
      auditResult: { systemReview: { problems: [] }, adminReview: { message: 'Approved.' } },
    });
  });

  it('in review: the automatic review passed, no administrator yet', async () => {
    expect(await job('job-in-review')).toMatchObject({
      state: 'AUDITING',
      status: 'IN_REVIEW',
      language: 'EN',
      trainingFailure: null,
      auditResult: { systemReview: { problems: [] }, adminReview: null },
    });
  });

  it('unknown state, edition and tag are UNKNOWN, never an error', async () => {
    expect(await job('job-paused', 'state jobType tag status')).toEqual({
      state: 'UNKNOWN',
      jobType: 'UNKNOWN',
      tag: 'UNKNOWN',
      status: 'UNKNOWN',
    });
  });
});

describe('bad upstream data', () => {
  it('a malformed details body fails only the fields that need it, with UPSTREAM_INVALID_RESPONSE', async () => {
    h.simulator.inject({ kind: 'wrong-shape' }, { jobId: 'job-complete', route: 'job' });
    const result = await h.query<{ trainingJob: Job }>(
      '{ trainingJob(jobId: "job-complete") { jobId voiceName state rejectionCount onDemand operations(limit: 1) { totalCount } } }',
    );
    expect(result.data!.trainingJob).toEqual({
      jobId: 'job-complete',
      voiceName: 'Malformed',
      state: null,
      rejectionCount: null,
      onDemand: null,
      operations: { totalCount: 7 },
    });
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code, e.message]).sort()).toEqual([
      ['trainingJob.rejectionCount', 'UPSTREAM_INVALID_RESPONSE', expect.stringContaining('reject_times')],
      ['trainingJob.state', 'UPSTREAM_INVALID_RESPONSE', expect.stringContaining('state')],
    ]);
  });

  it('a details body that is no object fails the details fields, and only them', async () => {
    h.simulator.inject({ kind: 'non-json' }, { jobId: 'job-complete', route: 'job' });
    const result = await h.query<{ trainingJob: Job }>(
      '{ trainingJob(jobId: "job-complete") { jobId voiceName status } }',
    );
    expect(result.data!.trainingJob).toEqual({ jobId: 'job-complete', voiceName: null, status: 'COMPLETED' });
    expect(result.errors!.map((e) => e.extensions!.code)).toEqual(['UPSTREAM_INVALID_RESPONSE']);
  });

  it('a malformed audit result fails the part that needs it', async () => {
    h.simulator.inject({ kind: 'wrong-shape' }, { jobId: 'job-complete', route: 'audit-result' });
    const result = await h.query<{ trainingJob: Job }>(
      '{ trainingJob(jobId: "job-complete") { auditResult { systemReview { reviewedAt } adminReview { message } } } }',
    );
    expect(result.data!.trainingJob).toEqual({ auditResult: { systemReview: null, adminReview: null } });
    expect(result.errors!.map((e) => [e.path!.join('.'), e.extensions!.code]).sort()).toEqual([
      ['trainingJob.auditResult.adminReview', 'UPSTREAM_INVALID_RESPONSE'],
      ['trainingJob.auditResult.systemReview', 'UPSTREAM_INVALID_RESPONSE'],
    ]);
  });

  it('an unknown job is UPSTREAM_NOT_FOUND on its details and audit fields', async () => {
    const result = await h.query(
      '{ trainingJob(jobId: "no-such-job") { jobId voiceName auditResult { adminReview { message } } } }',
    );
    expect(result.data).toEqual({ trainingJob: { jobId: 'no-such-job', voiceName: null, auditResult: null } });
    expect(result.errors!.map((e) => e.extensions!.code)).toEqual(['UPSTREAM_NOT_FOUND', 'UPSTREAM_NOT_FOUND']);
  });
});

describe('one meaning per field, whatever the path', () => {
  const FIELDS = 'jobId voiceName state stateChangedAt createdAt rejectionCount tag status';

  it('the list, by id and _entities answer the same for every job', async () => {
    const listed = await h.query<{ voiceTrainingJobs: { nodes: Job[] } }>(
      `{ voiceTrainingJobs(limit: 30) { nodes { ${FIELDS} } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data!.voiceTrainingJobs.nodes;
    const ids = nodes.map((n) => n.jobId as string);
    const byId = await h.query<{ trainingJobs: Job[] }>(
      `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { ${FIELDS} } }`,
      {
        ids,
      },
    );
    const entities = await h.query<{ _entities: Job[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { ${FIELDS} } } }`,
      { r: ids.map((jobId) => ({ __typename: 'TrainingJob', jobId })) },
    );
    expect(byId.data!.trainingJobs).toEqual(nodes);
    expect(entities.data!._entities).toEqual(nodes);
  });
});
