// Where a training job is, derived from its operation log. MetaStudio lists the
// log oldest first, but times may disagree with that order: the newest
// operation is the one with the greatest time, and ties (or operations without
// a readable time) fall back to list order.
import { invalidResponse, type UpstreamError } from '../upstream/errors.js';
import { knownValue, OPERATION_OPERATORS, type OperationLog, type Operator } from '../upstream/opLogPage.js';
import { toEpochMillis } from '../upstream/upstreamTime.js';

export type TrainingJobStatus =
  | 'CREATED'
  | 'IN_REVIEW'
  | 'REJECTED'
  | 'TRAINING'
  | 'PUBLISHING'
  | 'COMPLETED'
  | 'UNKNOWN';

const STATUS_OF_ACTION: ReadonlyMap<string, TrainingJobStatus> = new Map([
  ['CREATE_JOB', 'CREATED'],
  ['COMMIT_JOB', 'IN_REVIEW'],
  ['SYSTEM_AUDIT_PASS', 'IN_REVIEW'],
  ['AUDIT_NOT_PASS', 'REJECTED'],
  ['ADMIN_AUDIT_PASS', 'TRAINING'],
  ['TRAINING_FINISH', 'PUBLISHING'],
  ['UPLOADING_MODEL', 'PUBLISHING'],
  ['COMPLETE_JOB', 'COMPLETED'],
]);

/**
 * The derived fields of a job. A value that needs an operation's field the
 * upstream sent unreadable is that field's error instead, so it fails alone.
 */
export interface JobSummary {
  status: TrainingJobStatus | null;
  latestOperation: OperationLog | null;
  createdAt: Date | null | UpstreamError;
  completedAt: Date | null | UpstreamError;
  failureReason: string | null | UpstreamError;
  rejectedBy: Operator | null | UpstreamError;
}

function readableTime(op: OperationLog): number | null {
  return op.time === null || op.problems?.time ? null : toEpochMillis(op.time);
}

/** Oldest to newest. An operation without a readable time counts as old as the one listed before it. */
function byAge(operations: readonly OperationLog[]): OperationLog[] {
  let previous = Number.NEGATIVE_INFINITY;
  const aged = operations.map((op) => {
    previous = readableTime(op) ?? previous;
    return { op, time: previous };
  });
  // Array sort is stable: equal times keep list order.
  return aged.sort((a, b) => a.time - b.time).map(({ op }) => op);
}

function statusOf(op: OperationLog | undefined): TrainingJobStatus | null {
  if (!op) return null;
  // An unreadable action is as unknown as a new one.
  return (op.problems?.action ? undefined : STATUS_OF_ACTION.get(op.action ?? '')) ?? 'UNKNOWN';
}

function timeOf(op: OperationLog | undefined): Date | null | UpstreamError {
  if (!op) return null;
  const time = readableTime(op);
  return time === null ? invalidResponse(op.problems?.time ?? 'an operation has no time', {}) : new Date(time);
}

/** The job's status: that of its newest operation; null when the log is empty. */
export function jobStatusOf(operations: readonly OperationLog[]): TrainingJobStatus | null {
  return statusOf(byAge(operations).at(-1));
}

export function jobSummary(operations: readonly OperationLog[]): JobSummary {
  const aged = byAge(operations);
  const latest = aged.at(-1);
  const status = statusOf(latest);
  const rejection = status === 'REJECTED' ? latest! : null;
  return {
    status,
    latestOperation: latest ?? null,
    createdAt: timeOf(aged.find((op) => op.action === 'CREATE_JOB') ?? aged[0]),
    completedAt: timeOf(aged.filter((op) => op.action === 'COMPLETE_JOB').at(-1)),
    failureReason: rejection && failureReasonOf(rejection),
    rejectedBy: rejection && rejectedByOf(rejection),
  };
}

function rejectedByOf(op: OperationLog): Operator | UpstreamError {
  if (op.problems?.operator) return invalidResponse(op.problems.operator, {});
  return knownValue(OPERATION_OPERATORS, op.operator);
}

function failureReasonOf(op: OperationLog): string | null | UpstreamError {
  if (op.problems?.externalInfo) return invalidResponse(op.problems.externalInfo, {});
  return op.externalInfo?.adminAuditFailureReason ?? op.externalInfo?.algorithmFailureReason ?? null;
}
