import type { TrainingJobState } from './gql/graphql';

/** MetaStudio's own words for its states, and the colour family each belongs to. */
const STATES: Record<TrainingJobState, [label: string, tone: string]> = {
  CREATING: ['Creating', 'waiting'],
  SYSTEM_AUDITING: ['Automatic review', 'waiting'],
  AUDITING: ['Manual review', 'waiting'],
  WAITING_SPLIT: ['Waiting to split', 'working'],
  SPLITTING: ['Splitting', 'working'],
  SPLIT_FAILED: ['Split failed', 'failed'],
  ANNOTATING: ['Annotating', 'working'],
  WAITING: ['Queued for training', 'working'],
  PROCESSING: ['Training', 'working'],
  RESULT_REVIEW: ['Result review', 'waiting'],
  AUDIT_FAILED: ['Rejected', 'failed'],
  USER_RESULT_REVIEW: ['User result review', 'waiting'],
  USER_REVIEW_REJECT: ['User rejected result', 'failed'],
  UPLOADING: ['Uploading model', 'working'],
  FAILED: ['Failed', 'failed'],
  SUCCEED: ['Succeeded', 'done'],
  UNKNOWN: ['Unknown', 'none'],
};

export const JOB_STATES = Object.keys(STATES) as TrainingJobState[];

export const stateLabel = (state: TrainingJobState) => STATES[state][0];

/** MetaStudio's state of a job (`state`); null when the job's record could not be read. */
export function StateBadge({ state }: { state: TrainingJobState | null | undefined }) {
  return (
    <span className={`badge state tone-${state ? STATES[state][1] : 'none'}`} data-state={state ?? ''}>
      {state ? stateLabel(state) : 'No state'}
    </span>
  );
}
