// Where a training job is: status and summary fields on TrainingJob, derived
// from its operation log (src/live/jobStatus.ts). They all read the same
// windows through the request's loader, so together, and with any `operations`
// window in the first 100, they cost one upstream call for a log of at most
// 100 operations, and at most two for a longer one.
import { jobSummary, type JobSummary, type TrainingJobStatus } from '../live/jobStatus.js';
import type { Loaders } from '../loaders/createLoaders.js';
import { MAX_UPSTREAM_PAGE, type OperationLog } from '../upstream/opLogPage.js';
import { toEpochMillis } from '../upstream/upstreamTime.js';
import { builder } from './builder.js';
import { OperationLogItemRef, OperationOperator } from './operationLog.js';
import { TrainingJobRef, type TrainingJob } from './trainingJob.js';
import { detail } from './trainingJobDetails.js';
import { upstreamCost } from './upstreamCost.js';

export const TrainingJobStatusRef = builder.enumType('TrainingJobStatus', {
  description: 'Where a training job is, derived from its newest operation.',
  values: {
    CREATED: { description: 'Newest operation: CREATE_JOB.' },
    IN_REVIEW: { description: 'Newest operation: COMMIT_JOB or SYSTEM_AUDIT_PASS.' },
    REJECTED: { description: 'Newest operation: AUDIT_NOT_PASS. Not final: the job can be committed again.' },
    TRAINING: { description: 'Newest operation: ADMIN_AUDIT_PASS.' },
    PUBLISHING: { description: 'Newest operation: TRAINING_FINISH or UPLOADING_MODEL.' },
    COMPLETED: { description: 'Newest operation: COMPLETE_JOB. The only final status.' },
    UNKNOWN: { description: 'Newest operation: an action this server does not know yet, or none was given.' },
  } satisfies Record<TrainingJobStatus, { description: string }>,
});

/**
 * The operations the summary is derived from: the first page (which also gives
 * the count) and, when the log is longer, the last page, which holds the newest
 * operation since MetaStudio lists oldest first.
 */
async function summaryOf(job: TrainingJob, requestLoaders: Loaders): Promise<JobSummary> {
  const loaders = job.loaders ?? requestLoaders;
  const first = await loaders.opLogWindow.load({ jobId: job.jobId, offset: 0, limit: MAX_UPSTREAM_PAGE });
  let operations: OperationLog[] = first.operations;
  if (first.count > MAX_UPSTREAM_PAGE) {
    const offset = first.count - MAX_UPSTREAM_PAGE;
    const last = await loaders.opLogWindow.load({ jobId: job.jobId, offset, limit: MAX_UPSTREAM_PAGE });
    // The pages overlap when the log is shorter than two pages.
    operations = [...first.operations, ...last.operations.slice(Math.max(0, MAX_UPSTREAM_PAGE - offset))];
  }
  return jobSummary(operations);
}

/** An upstream field the value needed was unreadable: that field's error, on this field only. */
function orThrow<T>(value: T): Exclude<T, Error> {
  if (value instanceof Error) throw value;
  return value as Exclude<T, Error>;
}

/** The first page, then the last when the log is longer: one call, or two; shared by every field here. */
const COST = upstreamCost({ calls: () => 2, sharedAs: 'jobSummary', checked: true });

builder.objectFields(TrainingJobRef, (t) => ({
  status: t.field({
    type: TrainingJobStatusRef,
    nullable: true,
    description:
      'Where the job is, from its newest operation: the one with the greatest time (MetaStudio lists the log oldest first, and equal times keep that order). Null when the log is empty. With the other fields derived from the log (`latestOperation`, `createdAt`, `completedAt`, `failureReason`, `rejectedBy`) and any `operations` window in the first 100, one upstream call; two when the log is longer than 100.',
    extensions: COST,
    resolve: async (job, _args, { loaders }) => (await summaryOf(job, loaders)).status,
  }),
  latestOperation: t.field({
    type: OperationLogItemRef,
    nullable: true,
    description:
      'The newest operation: the one with the greatest time, also when times disagree with the log order. Read with `status`, at no extra cost.',
    extensions: COST,
    resolve: async (job, _args, { loaders }) => (await summaryOf(job, loaders)).latestOperation,
  }),
  createdAt: t.field({
    type: 'DateTime',
    nullable: true,
    description:
      "When the job was created. For a job from a `voiceTrainingJobs` page, the list's `create_time`, at no call; otherwise from the log: its oldest CREATE_JOB, else its oldest operation, read with `status` at no extra cost. MetaStudio keeps the two equal.",
    extensions: upstreamCost({ calls: () => 2, sharedAs: 'jobSummary', freeWhenListed: true, checked: true }),
    resolve: async (job, _args, { loaders }) => {
      if (job.listed) {
        const created = detail(job.listed, 'createTime');
        return created === null ? null : new Date(toEpochMillis(created));
      }
      return orThrow((await summaryOf(job, loaders)).createdAt);
    },
  }),
  completedAt: t.field({
    type: 'DateTime',
    nullable: true,
    description:
      'When the job was completed: its newest COMPLETE_JOB, also when it has moved on since; null when there is none. Read with `status`, at no extra cost.',
    extensions: COST,
    resolve: async (job, _args, { loaders }) => orThrow((await summaryOf(job, loaders)).completedAt),
  }),
  failureReason: t.string({
    nullable: true,
    description:
      "Why the job was rejected, when `status` is REJECTED: the rejecting operation's administrator or automatic-check reason. Null otherwise. Read with `status`, at no extra cost.",
    extensions: COST,
    resolve: async (job, _args, { loaders }) => orThrow((await summaryOf(job, loaders)).failureReason),
  }),
  rejectedBy: t.field({
    type: OperationOperator,
    nullable: true,
    description:
      'Who rejected the job, when `status` is REJECTED; null otherwise. Read with `status`, at no extra cost.',
    extensions: COST,
    resolve: async (job, _args, { loaders }) => orThrow((await summaryOf(job, loaders)).rejectedBy),
  }),
}));
