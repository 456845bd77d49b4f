import { getFragmentData, graphql, type FragmentType } from './gql';
import type { OperationOperator } from './gql/graphql';
import { StatusBadge } from './StatusBadge';
import { formatTime } from './time';

export const JobSummaryFragment = graphql(`
  fragment JobSummary on TrainingJob {
    status
    createdAt
    completedAt
    failureReason
    rejectedBy
    latestOperation {
      time
      action
    }
  }
`);

const REVIEWERS: Partial<Record<OperationOperator, string>> = {
  ADMIN: 'an administrator (ADMIN)',
  SYSTEM: 'the automatic review (SYSTEM)',
};

/** The head of a job card. */
export function JobSummary({ summary }: { summary: FragmentType<typeof JobSummaryFragment> | null }) {
  const job = getFragmentData(JobSummaryFragment, summary);
  return (
    <div className="summary">
      <span className="badge-label">Log status</span>
      <StatusBadge status={job?.status} />
      {job?.latestOperation && (
        <span className="latest">
          {job.latestOperation.action} at {formatTime(job.latestOperation.time)}
        </span>
      )}
      <dl className="dates">
        {job?.createdAt && (
          <>
            <dt>Created</dt>
            <dd>{formatTime(job.createdAt)}</dd>
          </>
        )}
        {job?.completedAt && (
          <>
            <dt>Completed</dt>
            <dd>{formatTime(job.completedAt)}</dd>
          </>
        )}
      </dl>
      {job?.status === 'REJECTED' && (
        <div className="rejection">
          <strong>
            Rejected by {job.rejectedBy ? (REVIEWERS[job.rejectedBy] ?? job.rejectedBy) : 'an unknown reviewer'}:
          </strong>{' '}
          {job.failureReason ?? 'no reason given.'}
        </div>
      )}
    </div>
  );
}
