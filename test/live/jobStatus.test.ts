import { describe, expect, it } from 'vitest';
import { jobStatusOf, jobSummary } from '../../src/live/jobStatus.js';
import { JOB_HISTORIES } from '../../src/simulator/histories.js';
import { UpstreamError } from '../../src/upstream/errors.js';
import { parseOpLogPage, type OperationLog } from '../../src/upstream/opLogPage.js';

/** Operations as the server parses them from the wire. */
function parsed(operations: readonly unknown[]): OperationLog[] {
  const result = parseOpLogPage({ count: operations.length, operations }, 0);
  if (!result.ok) throw new Error(result.problem);
  return result.page.operations;
}

const T0 = Date.UTC(2026, 10, 1, 8, 0);
const MINUTE = 60_000;

/** One operation per action, a minute apart, oldest first. */
const log = (...actions: Array<string | null>): OperationLog[] =>
  parsed(actions.map((action, i) => ({ time: T0 + i * MINUTE, action, operator: 'SYSTEM' })));

const history = (jobId: string) => parsed(JOB_HISTORIES.get(jobId)!);

describe('jobStatusOf: the newest action decides', () => {
  it.each([
    ['CREATE_JOB', 'CREATED'],
    ['COMMIT_JOB', 'IN_REVIEW'],
    ['SYSTEM_AUDIT_PASS', 'IN_REVIEW'],
    ['AUDIT_NOT_PASS', 'REJECTED'],
    ['ADMIN_AUDIT_PASS', 'TRAINING'],
    ['TRAINING_FINISH', 'PUBLISHING'],
    ['UPLOADING_MODEL', 'PUBLISHING'],
    ['COMPLETE_JOB', 'COMPLETED'],
    ['PAUSE_JOB', 'UNKNOWN'],
    ['complete_job', 'UNKNOWN'],
    ['constructor', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    [null, 'UNKNOWN'],
  ])('newest %j → %s', (action, status) => {
    expect(jobStatusOf(log('CREATE_JOB', 'COMMIT_JOB', action))).toBe(status);
  });

  it('an empty log has no status', () => {
    expect(jobStatusOf([])).toBeNull();
    expect(jobSummary([])).toEqual({
      status: null,
      latestOperation: null,
      createdAt: null,
      completedAt: null,
      failureReason: null,
      rejectedBy: null,
    });
  });

  it('an action of the wrong type counts as UNKNOWN', () => {
    const ops = parsed([
      { time: T0, action: 'CREATE_JOB' },
      { time: T0 + MINUTE, action: 42 },
    ]);
    expect(ops[1]!.problems?.action).toBeDefined();
    expect(jobStatusOf(ops)).toBe('UNKNOWN');
  });

  it('REJECTED is not final: a resubmitted job is back in review, the rejection behind it', () => {
    const summary = jobSummary(history('job-resubmitted'));
    expect(summary).toMatchObject({ status: 'IN_REVIEW', failureReason: null, rejectedBy: null });
    expect(summary.latestOperation?.action).toBe('COMMIT_JOB');
  });

  it('a job completed, then created again, is CREATED again', () => {
    expect(jobStatusOf(log('CREATE_JOB', 'COMPLETE_JOB', 'CREATE_JOB'))).toBe('CREATED');
  });
});

describe('the newest operation: greatest time, ties by list order', () => {
  it('times that disagree with list order: the greatest time wins', () => {
    const summary = jobSummary(history('job-out-of-order'));
    expect(summary.latestOperation?.action).toBe('ADMIN_AUDIT_PASS');
    expect(summary.status).toBe('TRAINING');
  });

  it('equal times: the one listed later is newer', () => {
    const ops = parsed([
      { time: T0, action: 'CREATE_JOB' },
      { time: T0 + MINUTE, action: 'AUDIT_NOT_PASS' },
      { time: T0 + MINUTE, action: 'COMMIT_JOB' },
    ]);
    expect(jobSummary(ops).latestOperation).toBe(ops[2]);
    expect(jobStatusOf(ops)).toBe('IN_REVIEW');
    expect(jobStatusOf([ops[0]!, ops[2]!, ops[1]!])).toBe('REJECTED');
  });

  it('epoch seconds and milliseconds compare as instants', () => {
    const ops = parsed([
      { time: T0 + MINUTE, action: 'COMMIT_JOB' },
      { time: T0 / 1000, action: 'CREATE_JOB' },
    ]);
    expect(jobStatusOf(ops)).toBe('IN_REVIEW');
  });

  it('an operation without a readable time counts as old as the one listed before it', () => {
    const ops = parsed([
      { time: T0, action: 'CREATE_JOB' },
      { time: T0 + 2 * MINUTE, action: 'COMMIT_JOB' },
      { action: 'SYSTEM_AUDIT_PASS' },
    ]);
    expect(jobSummary(ops).latestOperation).toBe(ops[2]);
    const early = parsed([
      { time: T0 + 2 * MINUTE, action: 'COMMIT_JOB' },
      { time: 'soon', action: 'CREATE_JOB' },
      { time: T0 + MINUTE, action: 'AUDIT_NOT_PASS' },
    ]);
    expect(jobStatusOf(early)).toBe('CREATED');
  });
});

describe('jobSummary', () => {
  it('a completed job: created at the CREATE_JOB, completed at the COMPLETE_JOB, no failure', () => {
    const wire = JOB_HISTORIES.get('job-complete')!;
    const summary = jobSummary(history('job-complete'));
    expect(summary).toEqual({
      status: 'COMPLETED',
      latestOperation: expect.objectContaining({ action: 'COMPLETE_JOB', time: wire.at(-1)!.time }),
      createdAt: new Date(wire[0]!.time!),
      completedAt: new Date(wire.at(-1)!.time!),
      failureReason: null,
      rejectedBy: null,
    });
  });

  it('with several COMPLETE_JOBs, completedAt is the newest', () => {
    const wire = JOB_HISTORIES.get('job-retrained')!;
    const completions = wire.filter((op) => op.action === 'COMPLETE_JOB');
    expect(completions).toHaveLength(2);
    expect(jobSummary(history('job-retrained')).completedAt).toEqual(new Date(completions[1]!.time!));
  });

  it('completedAt stays after the job moves on; createdAt is the first CREATE_JOB', () => {
    const summary = jobSummary(log('COMMIT_JOB', 'CREATE_JOB', 'COMPLETE_JOB', 'CREATE_JOB', 'COMMIT_JOB'));
    expect(summary.status).toBe('IN_REVIEW');
    expect(summary.createdAt).toEqual(new Date(T0 + MINUTE));
    expect(summary.completedAt).toEqual(new Date(T0 + 2 * MINUTE));
  });

  it('without a CREATE_JOB, createdAt is the oldest operation', () => {
    const ops = parsed([
      { time: T0 + 5 * MINUTE, action: 'COMMIT_JOB' },
      { time: T0, action: 'PAUSE_JOB' },
    ]);
    expect(jobSummary(ops)).toMatchObject({ createdAt: new Date(T0), completedAt: null, status: 'IN_REVIEW' });
  });

  it('times in epoch seconds become instants', () => {
    const wire = JOB_HISTORIES.get('job-long-history')!;
    const summary = jobSummary(history('job-long-history'));
    expect(summary.status).toBe('PUBLISHING');
    expect(summary.createdAt).toEqual(new Date(wire[0]!.time! * 1000));
  });

  it('rejected by an administrator: the admin reason and ADMIN', () => {
    expect(jobSummary(history('job-admin-rejected'))).toMatchObject({
      status: 'REJECTED',
      failureReason: expect.stringMatching(/^The authorization letter does not match/),
      rejectedBy: 'ADMIN',
    });
  });

  it('failed the automatic check: the algorithm reason and SYSTEM', () => {
    expect(jobSummary(history('job-algorithm-failed'))).toMatchObject({
      status: 'REJECTED',
      failureReason: expect.stringMatching(/^Background noise/),
      rejectedBy: 'SYSTEM',
    });
  });

  it('a rejection without a reason, by an operator this server does not know', () => {
    const ops = parsed([{ time: T0, action: 'AUDIT_NOT_PASS', operator: 'AUDITOR', external_info: null }]);
    expect(jobSummary(ops)).toMatchObject({ status: 'REJECTED', failureReason: null, rejectedBy: 'UNKNOWN' });
    expect(jobSummary(parsed([{ time: T0, action: 'AUDIT_NOT_PASS' }])).rejectedBy).toBe('UNKNOWN');
  });

  it('failureReason and rejectedBy come only from the newest operation when it rejects', () => {
    const summary = jobSummary(history('job-long-history'));
    expect(summary).toMatchObject({ failureReason: null, rejectedBy: null });
  });

  describe('an unreadable field fails only the value that needs it', () => {
    const expectInvalid = (value: unknown, pattern: RegExp) => {
      expect(value).toBeInstanceOf(UpstreamError);
      expect(value).toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: expect.stringMatching(pattern) });
    };

    it('createdAt and completedAt of operations without a time', () => {
      const summary = jobSummary(parsed([{ action: 'CREATE_JOB' }, { time: 'late', action: 'COMPLETE_JOB' }]));
      expect(summary.status).toBe('COMPLETED');
      expectInvalid(summary.createdAt, /an operation has no time/);
      expectInvalid(summary.completedAt, /operations\[1\]\.time/);
    });

    it('failureReason and rejectedBy of a rejection with bad fields', () => {
      const summary = jobSummary(parsed([{ time: T0, action: 'AUDIT_NOT_PASS', operator: 7, external_info: 'nope' }]));
      expect(summary.status).toBe('REJECTED');
      expectInvalid(summary.failureReason, /operations\[0\]\.external_info/);
      expectInvalid(summary.rejectedBy, /operations\[0\]\.operator/);
      expect(summary.createdAt).toEqual(new Date(T0));
    });
  });
});

describe('every simulator history has the status its name promises', () => {
  it.each([
    ['job-created', 'CREATED'],
    ['job-in-review', 'IN_REVIEW'],
    ['job-drift', 'IN_REVIEW'],
    ['job-training', 'TRAINING'],
    ['job-uploading', 'PUBLISHING'],
    ['job-long-history', 'PUBLISHING'],
    ['job-complete', 'COMPLETED'],
    ['job-retrained', 'COMPLETED'],
    ['job-admin-rejected', 'REJECTED'],
    ['job-algorithm-failed', 'REJECTED'],
    ['job-resubmitted', 'IN_REVIEW'],
    ['job-out-of-order', 'TRAINING'],
    ['job-paused', 'UNKNOWN'],
    ['job-empty', null],
  ])('%s → %s', (jobId, status) => {
    expect(jobStatusOf(history(jobId))).toBe(status);
  });
});
