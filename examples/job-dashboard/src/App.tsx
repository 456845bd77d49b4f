import { JobList } from './JobList';
import { FILTER_STATES } from './JobListFilter';
import { JobPages } from './JobPages';
import { jobIdsFromSearch, searchWithJobIds } from './jobIds';
import { listViewFromSearch, searchWithListView } from './listView';
import { useLocation } from './navigation';

/** The list's earlier cursors, as stored with the history entry (see JobList's onView). */
function earlierCursors(state: unknown): (string | null)[] | null {
  const earlier = (state as { earlier?: unknown } | null)?.earlier;
  return Array.isArray(earlier) && earlier.every((c) => c === null || typeof c === 'string') ? earlier : null;
}

/** The job list, or with `?jobs=a,b` those jobs' pages. */
export function App() {
  const [location, go] = useLocation();
  const jobIds = jobIdsFromSearch(location.search);
  const showJobs = (ids: string[]) => go(searchWithJobIds('', ids));
  return (
    <main>
      <h1>
        {jobIds === null ? (
          'Training jobs'
        ) : (
          <a
            href="./"
            onClick={(e) => {
              e.preventDefault();
              go('');
            }}
          >
            Training jobs
          </a>
        )}
      </h1>
      {jobIds === null ? (
        <JobList
          view={listViewFromSearch(location.search, FILTER_STATES)}
          earlier={earlierCursors(location.state)}
          onView={(view, earlier) => go(searchWithListView(view), { earlier })}
          onOpen={(jobId) => showJobs([jobId])}
        />
      ) : (
        <JobPages jobIds={jobIds} onShow={showJobs} />
      )}
    </main>
  );
}
