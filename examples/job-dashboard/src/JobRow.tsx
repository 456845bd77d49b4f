import type { MouseEvent } from 'react';
import { getFragmentData, graphql, type FragmentType } from './gql';
import type { TrainingJobType } from './gql/graphql';
import { StateBadge } from './StateBadge';
import { formatTime } from './time';

// Only fields a list item carries: a page of rows costs one upstream call. `status`
// (from the log) would cost one more per row.
export const JobRowFragment = graphql(`
  fragment JobRow on TrainingJob {
    jobId
    state
    voiceName
    jobType
    createdAt
  }
`);

const EDITIONS: Record<TrainingJobType, string> = {
  BASIC: 'Basic',
  MIDDLE: 'Middle',
  ADVANCE: 'Advanced',
  THIRD_PARTY: 'Third party',
  THIRD_PARTY_LJZN: 'Third party (LJZN)',
  FLEXUS: 'Flexus',
  UNKNOWN: 'Unknown',
};

export const editionLabel = (jobType: TrainingJobType | null | undefined) => (jobType ? EDITIONS[jobType] : '—');

interface JobRowProps {
  job: FragmentType<typeof JobRowFragment>;
  /** The address of the job's page. */
  href: string;
  onOpen: (jobId: string) => void;
}

/** One job of the list; its id opens the job's page. */
export function JobRow({ job, href, onOpen }: JobRowProps) {
  const { jobId, state, voiceName, jobType, createdAt } = getFragmentData(JobRowFragment, job);
  const open = (event: MouseEvent) => {
    // A plain click stays in the page; a modified one (new tab) is the browser's.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(jobId);
  };
  return (
    <tr className="job-row" data-job-id={jobId}>
      <td>
        <StateBadge state={state} />
      </td>
      <td className="voice">{voiceName ?? '—'}</td>
      <td className="edition" data-job-type={jobType ?? ''}>
        {editionLabel(jobType)}
      </td>
      <td className="created">{createdAt ? <time dateTime={createdAt}>{formatTime(createdAt)}</time> : '—'}</td>
      <td className="id">
        <a href={href} onClick={open}>
          {jobId}
        </a>
      </td>
    </tr>
  );
}
