import { useSubscription } from 'urql';
import { AuditResult, type AuditResultFragment } from './AuditResult';
import { Assessment, type AssessmentFragment } from './Assessment';
import { ErrorNote } from './ErrorNote';
import { allProblems, type Problem } from './errors';
import { getFragmentData, graphql, type FragmentType } from './gql';
import { JobDetails, type JobDetailsFragment } from './JobDetails';
import { addEvent } from './liveJob';
import { JobSummary, JobSummaryFragment } from './JobSummary';
import { Timeline, type TimelinePageFragment } from './Timeline';

// Each event reads the job's record afresh (one details call per event, however many follow it).
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
        ...JobDetails
      }
    }
  }
`);

/** A job's errors in the dashboard query, by the upstream call they came from. */
export interface JobProblems {
  /** The operation log: status, dates, timeline. */
  log: readonly Problem[];
  /** The job's record: details and assessment. */
  details: readonly Problem[];
  audit: readonly Problem[];
}

interface JobCardProps {
  jobId: string;
  summary: FragmentType<typeof JobSummaryFragment> | null;
  record:
    | (FragmentType<typeof JobDetailsFragment> &
        FragmentType<typeof AssessmentFragment> &
        FragmentType<typeof AuditResultFragment>)
    | null;
  firstPage: FragmentType<typeof TimelinePageFragment> | null;
  /** A part whose call failed shows its error instead of its content; the other parts still show. */
  problems: JobProblems;
  /** Whether this card may hold a subscription open (see JobPages). */
  live: boolean;
}

/** One job's page: MetaStudio's record, the assessment, the review, and the log's timeline, followed live. */
export function JobCard({ jobId, summary, record, firstPage, problems, live }: JobCardProps) {
  const [events] = useSubscription({ query: JobEventsSubscription, variables: { jobId }, pause: !live }, addEvent);
  // The server sends the current state at once, then each change; it ends the stream
  // after the job completes, or with an error.
  const following =
    live && !events.error && getFragmentData(JobSummaryFragment, events.data?.summary)?.status !== 'COMPLETED';
  const details = events.data?.details ?? (problems.details.length === 0 ? record : null);
  return (
    <article className="job" data-job-id={jobId}>
      <header>
        <h2>{jobId}</h2>
        <span className={following ? 'live on' : 'live'}>{following ? 'live' : 'not live'}</span>
      </header>
      <ErrorNote problems={[...problems.details, ...problems.audit, ...problems.log, ...allProblems(events.error)]} />
      {details && <JobDetails details={details} />}
      {(problems.log.length === 0 || events.data) && <JobSummary summary={events.data?.summary ?? summary} />}
      {record && problems.details.length === 0 && <Assessment job={record} />}
      {record && problems.audit.length === 0 && <AuditResult job={record} />}
      {problems.log.length === 0 && firstPage && (
        <>
          <h3>Timeline</h3>
          <Timeline jobId={jobId} firstPage={firstPage} live={events.data} />
        </>
      )}
    </article>
  );
}
