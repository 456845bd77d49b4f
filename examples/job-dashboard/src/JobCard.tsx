import { useSubscription } from 'urql';
import { ErrorNote } from './ErrorNote';
import { allProblems, type Problem } from './errors';
import { getFragmentData, graphql, type FragmentType } from './gql';
import { addEvent } from './liveJob';
import { JobSummary, JobSummaryFragment } from './JobSummary';
import { Timeline, type TimelinePageFragment } from './Timeline';

const JobEventsSubscription = graphql(`
  subscription JobEvents($jobId: ID!) {
    trainingJobEvents(jobId: $jobId) {
      totalCount
      newOperations {
        ...OperationRow
      }
      job {
        jobId
        ...JobSummary
      }
    }
  }
`);

interface JobCardProps {
  jobId: string;
  summary: FragmentType<typeof JobSummaryFragment> | null;
  firstPage: FragmentType<typeof TimelinePageFragment> | null;
  /** This job's errors in the dashboard query: it shows them instead of a timeline. */
  problems: readonly Problem[];
  /** Whether this card may hold a subscription open (see App). */
  live: boolean;
}

export function JobCard({ jobId, summary, firstPage, problems, live }: JobCardProps) {
  const [events] = useSubscription({ query: JobEventsSubscription, variables: { jobId }, pause: !live }, addEvent);
  // The server sends the current state at once, then each change; it ends the stream
  // after the job completes, or with an error.
  const following =
    live && !events.error && getFragmentData(JobSummaryFragment, events.data?.summary)?.status !== 'COMPLETED';
  return (
    <article className="job" data-job-id={jobId}>
      <header>
        <h2>{jobId}</h2>
        <span className={following ? 'live on' : 'live'}>{following ? 'live' : 'not live'}</span>
      </header>
      {(problems.length === 0 || events.data) && <JobSummary summary={events.data?.summary ?? summary} />}
      <ErrorNote problems={[...problems, ...allProblems(events.error)]} />
      {problems.length === 0 && firstPage && <Timeline jobId={jobId} firstPage={firstPage} live={events.data} />}
    </article>
  );
}
