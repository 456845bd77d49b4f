import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { ErrorNote } from './ErrorNote';
import { itemProblems, requestProblems } from './errors';
import { getFragmentData, graphql } from './gql';
import { JobCard } from './JobCard';
import { JobIdsForm } from './JobIdsForm';
import { jobIdsFromSearch, searchWithJobIds } from './jobIds';
import { JobSummaryFragment } from './JobSummary';
import { PAGE_SIZE } from './Timeline';

// The status and the first page come from the same upstream page (for logs of up to 100 operations).
const JobsQuery = graphql(`
  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {
    trainingJobs(jobIds: $jobIds) {
      jobId
      ...JobSummary
      operations(limit: $pageSize) {
        ...TimelinePage
      }
    }
  }
`);

/**
 * At most this many subscriptions at once. Each is an SSE response that holds one
 * HTTP/1.1 connection, and a browser opens at most 6 to one server: the rest
 * would wait behind them, queries included.
 */
const MAX_LIVE_JOBS = 4;

export function App() {
  const [jobIds, setJobIds] = useState(() => jobIdsFromSearch(window.location.search));
  useEffect(() => {
    const onPopState = () => setJobIds(jobIdsFromSearch(window.location.search));
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
  const show = (ids: string[]) => {
    window.history.pushState(null, '', searchWithJobIds(window.location.search, ids));
    setJobIds(ids);
  };

  const [result] = useQuery({
    query: JobsQuery,
    variables: { jobIds, pageSize: PAGE_SIZE },
    pause: jobIds.length === 0,
  });
  const jobs = result.data?.trainingJobs;
  const cards = jobIds.map((jobId, index) => {
    // While another list loads, the previous answer may still be here.
    const job = jobs?.[index]?.jobId === jobId ? jobs[index] : undefined;
    const problems = itemProblems(result.error, 'trainingJobs', index);
    return { jobId, job, problems };
  });
  // Live updates for the first jobs that can still change and could be read.
  const live = new Set(
    cards
      .filter(
        ({ job, problems }) =>
          job && problems.length === 0 && getFragmentData(JobSummaryFragment, job).status !== 'COMPLETED',
      )
      .slice(0, MAX_LIVE_JOBS)
      .map(({ jobId }) => jobId),
  );

  return (
    <main>
      <h1>Training jobs</h1>
      <JobIdsForm jobIds={jobIds} onChange={show} />
      <ErrorNote problems={requestProblems(result.error, 'trainingJobs')} />
      {result.fetching && !jobs && <p className="loading">Loading…</p>}
      {jobs &&
        cards.map(({ jobId, job, problems }) => (
          <JobCard
            key={jobId}
            jobId={jobId}
            summary={job ?? null}
            firstPage={job?.operations ?? null}
            problems={problems}
            live={live.has(jobId)}
          />
        ))}
    </main>
  );
}
