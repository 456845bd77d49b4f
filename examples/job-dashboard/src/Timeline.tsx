import { useState } from 'react';
import { useQuery } from 'urql';
import { ErrorNote } from './ErrorNote';
import { allProblems } from './errors';
import { getFragmentData, graphql, type FragmentType } from './gql';
import type { TimelinePageFragment as TimelinePage } from './gql/graphql';
import type { LiveJob } from './liveJob';
import { OperationRow, type OperationRowFragment } from './OperationRow';

export const TimelinePageFragment = graphql(`
  fragment TimelinePage on OperationLogConnection {
    totalCount
    offset
    nodes {
      ...OperationRow
    }
  }
`);

const JobTimelineQuery = graphql(`
  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {
    trainingJob(jobId: $jobId) {
      jobId
      operations(offset: $offset, limit: $limit) {
        ...TimelinePage
      }
    }
  }
`);

export const PAGE_SIZE = 10;

/** The operation at `position` of the whole log, if one of the pages holds it. */
function operationAt(pages: readonly (TimelinePage | null | undefined)[], position: number) {
  for (const page of pages) {
    const operation = page?.nodes[position - page.offset];
    if (page && position >= page.offset && operation) return operation;
  }
  return undefined;
}

interface TimelineProps {
  jobId: string;
  /** The first page, read with the job's summary. */
  firstPage: FragmentType<typeof TimelinePageFragment>;
  live: LiveJob | undefined;
}

/**
 * A job's operations, oldest first, a page at a time. It opens on the newest page,
 * which grows as the subscription delivers operations, until the reader pages away.
 * A page the first page already holds costs no query.
 */
export function Timeline({ jobId, firstPage, live }: TimelineProps) {
  const first = getFragmentData(TimelinePageFragment, firstPage);
  // null: the newest page as of the first read; what arrives later comes from the subscription.
  const [chosenOffset, setChosenOffset] = useState<number | null>(null);
  const newestOffset = Math.max(0, first.totalCount - PAGE_SIZE);
  const offset = chosenOffset ?? newestOffset;
  const held =
    offset >= first.offset && Math.min(offset + PAGE_SIZE, first.totalCount) <= first.offset + first.nodes.length;
  const [result] = useQuery({ query: JobTimelineQuery, variables: { jobId, offset, limit: PAGE_SIZE }, pause: held });

  const fetched = getFragmentData(TimelinePageFragment, result.data?.trainingJob?.operations);
  const total = Math.max(first.totalCount, live?.totalCount ?? 0, fetched?.totalCount ?? 0);
  const end = chosenOffset === null ? total : Math.min(total, offset + PAGE_SIZE);
  const rows: Array<[number, FragmentType<typeof OperationRowFragment>]> = [];
  for (let position = offset; position < end; position++) {
    const operation = operationAt([fetched, first], position) ?? live?.operations.get(position);
    if (operation) rows.push([position, operation]);
  }
  const atNewest = chosenOffset === null || offset + PAGE_SIZE >= total;
  const goTo = (target: number) => setChosenOffset(target >= newestOffset ? null : Math.max(0, target));

  return (
    <section className="timeline" aria-label={`Timeline of ${jobId}`}>
      <ErrorNote problems={held ? [] : allProblems(result.error)} />
      {total === 0 && <p className="empty">No operations yet.</p>}
      <ol start={offset + 1}>
        {rows.map(([position, operation]) => (
          <OperationRow key={position} operation={operation} position={position} />
        ))}
      </ol>
      {total > PAGE_SIZE && (
        <nav className="pager" aria-label={`Pages of ${jobId}`}>
          <button type="button" disabled={offset === 0} onClick={() => goTo(0)}>
            Oldest
          </button>
          <button type="button" disabled={offset === 0} onClick={() => goTo(offset - PAGE_SIZE)}>
            Older
          </button>
          <span className="range">
            {rows.length > 0 ? `${offset + 1}–${offset + rows.length} of ${total}` : `… of ${total}`}
          </span>
          <button type="button" disabled={atNewest} onClick={() => goTo(offset + PAGE_SIZE)}>
            Newer
          </button>
          <button type="button" disabled={atNewest} onClick={() => setChosenOffset(null)}>
            Newest
          </button>
        </nav>
      )}
    </section>
  );
}
