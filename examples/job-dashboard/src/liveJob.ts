// What the subscription has said about a job so far.
import type { FragmentType } from './gql';
import type { JobEventsSubscription } from './gql/graphql';
import type { JobDetailsFragment } from './JobDetails';
import type { JobSummaryFragment } from './JobSummary';
import type { OperationRowFragment } from './OperationRow';

export interface LiveJob {
  /** The job as of the latest event: its log's summary and MetaStudio's record. */
  summary: FragmentType<typeof JobSummaryFragment>;
  details: FragmentType<typeof JobDetailsFragment>;
  totalCount: number;
  /** Operations delivered so far, by position in the whole log (0 = oldest). */
  operations: ReadonlyMap<number, FragmentType<typeof OperationRowFragment>>;
}

/** An event's new operations are the newest of the log: they end at position totalCount - 1. */
export function addEvent(live: LiveJob | undefined, { trainingJobEvents: event }: JobEventsSubscription): LiveJob {
  const operations = new Map(live?.operations);
  const first = event.totalCount - event.newOperations.length;
  for (const [i, operation] of event.newOperations.entries()) operations.set(first + i, operation);
  return { summary: event.job, details: event.job, totalCount: event.totalCount, operations };
}
