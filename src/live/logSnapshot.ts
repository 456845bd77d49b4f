// What a poller has read of one job's log at one moment: the upstream's count
// and the operations at the positions it read. An event's `job` answers the
// windows it holds from it, at no upstream call.
import type { OpLogWindow } from '../upstream/opLogs.js';
import { MAX_UPSTREAM_PAGE, type OperationLog, type OpLogPage } from '../upstream/opLogPage.js';

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

/** The position just after the newest operation the snapshot holds. */
export function endOf(snapshot: LogSnapshot): number {
  const last = snapshot.segments.at(-1);
  return last ? last.offset + last.operations.length : 0;
}

/** The newest operations a snapshot holds, up to one upstream page. */
export function newest(snapshot: LogSnapshot): readonly OperationLog[] {
  return snapshot.segments.at(-1)?.operations.slice(-MAX_UPSTREAM_PAGE) ?? [];
}

/**
 * Only the first page and the newest page of what the snapshot holds: what an
 * event's `job` promises to answer at no call, and all that is worth sending to
 * other replicas.
 */
export function trimmed(snapshot: LogSnapshot): LogSnapshot {
  const end = endOf(snapshot);
  const kept: [number, number][] = [
    [0, MAX_UPSTREAM_PAGE],
    [end - MAX_UPSTREAM_PAGE, end],
  ];
  const segments: { offset: number; operations: OperationLog[] }[] = [];
  for (const segment of snapshot.segments) {
    for (const [from, to] of kept) {
      const start = Math.max(from, segment.offset);
      const stop = Math.min(to, segment.offset + segment.operations.length);
      if (start >= stop) continue;
      const operations = segment.operations.slice(start - segment.offset, stop - segment.offset);
      const previous = segments.at(-1);
      const previousEnd = previous ? previous.offset + previous.operations.length : -1;
      // Ranges that overlap or touch make one segment.
      if (previous && previousEnd >= start) previous.operations.push(...operations.slice(previousEnd - start));
      else segments.push({ offset: start, operations });
    }
  }
  return { jobId: snapshot.jobId, count: snapshot.count, segments };
}
