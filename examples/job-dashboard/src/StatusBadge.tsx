import type { TrainingJobStatus } from './gql/graphql';

const LABELS: Record<TrainingJobStatus, string> = {
  CREATED: 'Created',
  IN_REVIEW: 'In review',
  REJECTED: 'Rejected',
  TRAINING: 'Training',
  PUBLISHING: 'Publishing',
  COMPLETED: 'Completed',
  UNKNOWN: 'Unknown',
};

/** `status` null: the job has no operations yet (or its log could not be read). */
export function StatusBadge({ status }: { status: TrainingJobStatus | null | undefined }) {
  return (
    <span className={`badge badge-${status?.toLowerCase() ?? 'none'}`} data-status={status ?? ''}>
      {status ? LABELS[status] : 'No status'}
    </span>
  );
}
