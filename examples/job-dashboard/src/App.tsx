import { JobList } from './JobList';
import { JOB_STATES } from './StateBadge';
import { JobPages } from './JobPages';
import { jobIdsFromSearch, searchWithJobIds } from './jobIds';
import { listViewFromSearch, searchWithListView } from './listView';
import { useLocation } from './navigation';

/** The list's earlier cursors, as JobList stored them with the history entry. */
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
          view={listViewFromSearch(location.search, JOB_STATES)}
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
