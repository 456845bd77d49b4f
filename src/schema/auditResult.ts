// TrainingJob.auditResult: the reviews behind a job's rejection (or approval),
// from ShowJobAuditResult; one call per job, batched and cached.
import { invalidResponse } from '../upstream/errors.js';
import type { AdminReview, AuditResult, ReviewProblem, SystemReview } from '../upstream/jobAuditResult.js';
import { toEpochMillis } from '../upstream/upstreamTime.js';
import { builder } from './builder.js';
import { TrainingJobRef } from './trainingJob.js';
import { upstreamCost } from './upstreamCost.js';

const reviewedAt = (time: number | null) => (time === null ? null : new Date(toEpochMillis(time)));

const ReviewProblemRef = builder.objectRef<ReviewProblem>('ReviewProblem').implement({
  description: 'One failed check of one recording in the automatic review.',
  fields: (t) => ({
    audioName: t.exposeString('audioName', { nullable: true, description: 'The recording.' }),
    textName: t.exposeString('textName', { nullable: true, description: 'Its text.' }),
    code: t.exposeString('code', { nullable: true, description: 'The check that failed, e.g. MSS.12345678.' }),
    message: t.exposeString('message', { nullable: true, description: 'What was wrong.' }),
  }),
});

const SystemReviewRef = builder.objectRef<SystemReview>('SystemReview').implement({
  description: "MetaStudio's automatic review.",
  fields: (t) => ({
    reviewedAt: t.field({ type: 'DateTime', nullable: true, resolve: (review) => reviewedAt(review.auditTime) }),
    problems: t.field({
      type: [ReviewProblemRef],
      description: 'Empty when every recording passed.',
      resolve: (review) => review.problems,
    }),
  }),
});

const AdminReviewRef = builder.objectRef<AdminReview>('AdminReview').implement({
  description: "An administrator's review.",
  fields: (t) => ({
    reviewedAt: t.field({ type: 'DateTime', nullable: true, resolve: (review) => reviewedAt(review.auditTime) }),
    message: t.exposeString('message', { nullable: true, description: "The reviewer's comment." }),
    attachmentName: t.exposeString('attachmentName', { nullable: true }),
    attachmentUrl: t.exposeString('attachmentUrl', {
      nullable: true,
      description: "A link to the reviewer's attachment. A capability URL: whoever has it can read the file.",
    }),
  }),
});

/** A part MetaStudio sent unreadable fails alone, where it is asked for. */
function part<F extends 'systemReview' | 'adminReview'>(result: AuditResult, field: F): AuditResult[F] {
  const problem = result.problems?.[field];
  if (problem) throw invalidResponse(problem, {});
  return result[field];
}

const AuditResultRef = builder.objectRef<AuditResult>('AuditResult').implement({
  description:
    'The reviews of a job. Neither says whether it passed: `state` (or `status`) does; these say why a review failed.',
  fields: (t) => ({
    systemReview: t.field({
      type: SystemReviewRef,
      nullable: true,
      description: 'Null until the automatic review has run.',
      resolve: (result) => part(result, 'systemReview'),
    }),
    adminReview: t.field({
      type: AdminReviewRef,
      nullable: true,
      description: 'Null until an administrator has reviewed the job.',
      resolve: (result) => part(result, 'adminReview'),
    }),
  }),
});

builder.objectFields(TrainingJobRef, (t) => ({
  auditResult: t.field({
    type: AuditResultRef,
    nullable: true,
    description: "The job's reviews (ShowJobAuditResult): one upstream call per job, batched and cached.",
    extensions: upstreamCost({ calls: () => 1, checked: true }),
    resolve: (job, _args, context) => (job.loaders ?? context.loaders).auditResult.load({ jobId: job.jobId }),
  }),
}));
