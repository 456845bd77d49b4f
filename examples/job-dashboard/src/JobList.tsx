import { useQuery } from 'urql';
import { ErrorNote } from './ErrorNote';
import { allProblems } from './errors';
import { graphql } from './gql';
import type { TrainingJobState } from './gql/graphql';
import { JobListFilter } from './JobListFilter';
import { JobRow } from './JobRow';
import { searchWithJobIds } from './jobIds';
import type { ListView } from './listView';

// Newest first; one upstream call per page, whatever the filter (the rows ask only what a list item carries).
const JobListQuery = graphql(`
  query JobList($filter: VoiceTrainingJobFilter, $first: Int!, $after: String) {
    voiceTrainingJobs(filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        jobId
        ...JobRow
      }
    }
  }
`);

const LIST_PAGE_SIZE = 10;

interface JobListProps {
  view: ListView;
  /** The cursors of the pages before this one, oldest first; null when unknown (a shared address). */
  earlier: readonly (string | null)[] | null;
  /** Shows another filter or page; `earlier` goes with it. */
  onView: (view: ListView, earlier: readonly (string | null)[] | null) => void;
  onOpen: (jobId: string) => void;
}

/** The tenant's jobs, newest first, a page at a time, filtered by state and voice name. */
export function JobList({ view, earlier: stored, onView, onOpen }: JobListProps) {
  const firstPage = view.after === null;
  // Nothing comes before the first page, however it was reached.
  const earlier = firstPage ? [] : stored;
  const filter = {
    ...(view.states.length > 0 && { states: view.states }),
    ...(view.voiceName !== '' && { voiceName: view.voiceName }),
  };
  const [result] = useQuery({
    query: JobListQuery,
    variables: { filter, first: LIST_PAGE_SIZE, after: view.after },
  });
  const connection = result.data?.voiceTrainingJobs;
  const filterBy = (states: TrainingJobState[], voiceName: string) => onView({ states, voiceName, after: null }, []);
  // Known when the reader paged here from the first page.
  const page = earlier ? earlier.length + 1 : null;
  const from = page !== null && connection ? (page - 1) * LIST_PAGE_SIZE + 1 : null;

  return (
    <section className="job-list" aria-label="Jobs">
      <JobListFilter view={view} onChange={filterBy} />
      <ErrorNote problems={allProblems(result.error)} />
      {result.fetching && !connection && <p className="loading">Loading…</p>}
      {connection && (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Voice</th>
                <th scope="col">Edition</th>
                <th scope="col">Created</th>
                <th scope="col">Job</th>
              </tr>
            </thead>
            <tbody>
              {connection.nodes.map((job) => (
                <JobRow key={job.jobId} job={job} href={searchWithJobIds('', [job.jobId])} onOpen={onOpen} />
              ))}
            </tbody>
          </table>
          {connection.nodes.length === 0 && <p className="empty">No jobs match.</p>}
          <nav className="pager" aria-label="Pages of jobs">
            <button type="button" disabled={firstPage} onClick={() => onView({ ...view, after: null }, [])}>
              First
            </button>
            <button
              type="button"
              disabled={!earlier || earlier.length === 0}
              onClick={() => earlier && onView({ ...view, after: earlier.at(-1) ?? null }, earlier.slice(0, -1))}
            >
              Previous
            </button>
            <span className="range">
              {from !== null && connection.nodes.length > 0
                ? `${from}–${from + connection.nodes.length - 1} of ${connection.totalCount}`
                : `${connection.totalCount} jobs`}
            </span>
            <button
              type="button"
              disabled={!connection.pageInfo.hasNextPage}
              onClick={() =>
                onView({ ...view, after: connection.pageInfo.endCursor ?? null }, earlier && [...earlier, view.after])
              }
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
