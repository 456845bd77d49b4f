// What a poller has read of one job's log at one moment: the upstream's count
// and the operations at the positions it read. An event's `job` answers the
// windows it holds from it, at no upstream call.
import type { OpLogWindow } from '../upstream/client.js';
import type { OperationLog, OpLogPage } from '../upstream/opLogPage.js';

interface LogSegment {
  /** Position of the first operation in the whole log. */
  offset: number;
  operations: readonly OperationLog[];
}

export interface LogSnapshot {
  jobId: string;
  count: number;
  /** Ascending and disjoint. */
  segments: readonly LogSegment[];
}

/** The page for `window` when the snapshot holds all of it, else undefined: an upstream call must answer it. */
export function pageFromSnapshot(snapshot: LogSnapshot, { jobId, offset, limit }: OpLogWindow): OpLogPage | undefined {
  if (jobId !== snapshot.jobId) return undefined;
  const { count } = snapshot;
  if (offset >= count) return { count, operations: [] };
  const end = Math.min(offset + limit, count);
  for (const segment of snapshot.segments) {
    if (offset >= segment.offset && end <= segment.offset + segment.operations.length) {
      return { count, operations: segment.operations.slice(offset - segment.offset, end - segment.offset) };
    }
  }
  return undefined;
}
