import { useQuery } from 'urql';
import { ErrorNote } from './ErrorNote';
import { itemProblems, requestProblems } from './errors';
import { getFragmentData, graphql } from './gql';
import { JobCard } from './JobCard';
import { JobIdsForm } from './JobIdsForm';
import { JobSummaryFragment } from './JobSummary';
import { PAGE_SIZE } from './Timeline';

// Per job three upstream calls, sent at once: its record (details and assessment), its audit
// result, and its log (status, summary and first page share one page for logs of up to 100 operations).
const JobsQuery = graphql(`
  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {
    trainingJobs(jobIds: $jobIds) {
      jobId
      ...JobSummary
      ...JobDetails
      ...Assessment
      ...AuditResult
      operations(limit: $pageSize) {
        ...TimelinePage
      }
    }
  }
`);

/** The job fields read from the log; any other field's error is the record's or the audit's. */
const LOG_FIELDS = new Set<string | number | undefined>([
  undefined,
  'status',
  'latestOperation',
  'createdAt',
  'completedAt',
  'failureReason',
  'rejectedBy',
  'operations',
]);

/**
 * At most this many subscriptions at once. Each is an SSE response that holds one
 * HTTP/1.1 connection, and a browser opens at most 6 to one server: the rest
 * would wait behind them, queries included.
 */
const MAX_LIVE_JOBS = 4;

interface JobPagesProps {
  jobIds: string[];
  onShow: (jobIds: string[]) => void;
}

/** The pages of the jobs in `?jobs=`, in one request. */
export function JobPages({ jobIds, onShow }: JobPagesProps) {
  const [result] = useQuery({
    query: JobsQuery,
    variables: { jobIds, pageSize: PAGE_SIZE },
    pause: jobIds.length === 0,
  });
  const jobs = result.data?.trainingJobs;
  const cards = jobIds.map((jobId, index) => {
    // While another list loads, the previous answer may still be here.
    const job = jobs?.[index]?.jobId === jobId ? jobs[index] : undefined;
    const problemsOn = (keep: (field: string | number | undefined) => boolean) =>
      itemProblems(result.error, 'trainingJobs', index, keep);
    const problems = {
      log: problemsOn((field) => LOG_FIELDS.has(field)),
      details: problemsOn((field) => !LOG_FIELDS.has(field) && field !== 'auditResult'),
      audit: problemsOn((field) => field === 'auditResult'),
    };
    return { jobId, job, problems };
  });
  // Live updates for the first jobs that can still change and could be read.
  const live = new Set(
    cards
      .filter(
        ({ job, problems }) =>
          job && problems.log.length === 0 && getFragmentData(JobSummaryFragment, job).status !== 'COMPLETED',
      )
      .slice(0, MAX_LIVE_JOBS)
      .map(({ jobId }) => jobId),
  );

  return (
    <>
      <JobIdsForm jobIds={jobIds} onChange={onShow} />
      <ErrorNote problems={requestProblems(result.error, 'trainingJobs')} />
      {result.fetching && !jobs && <p className="loading">Loading…</p>}
      {jobs &&
        cards.map(({ jobId, job, problems }) => (
          <JobCard
            key={jobId}
            jobId={jobId}
            summary={job ?? null}
            record={job ?? null}
            firstPage={job?.operations ?? null}
            problems={problems}
            live={live.has(jobId)}
          />
        ))}
    </>
  );
}
