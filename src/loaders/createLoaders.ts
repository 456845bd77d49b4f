// Per-request DataLoaders. One set is made for each GraphQL request, so the
// per-request cache never leaks between callers. Within a request, every field
// that asks for a window of a job's log is batched: windows of one job that fit
// in one upstream page are merged into a single call and sliced back out of it.
// A subscription event's job reads through a set of its own, which answers the
// windows its poller already read at no upstream call.
import DataLoader from 'dataloader';
import { pageFromSnapshot, type LogSnapshot } from '../live/logSnapshot.js';
import { upstreamEvents } from '../upstream/events.js';
import type { MetaStudioClient } from '../upstream/client.js';
import type { OpLogWindow } from '../upstream/opLogs.js';
import { MAX_UPSTREAM_PAGE, type OpLogPage } from '../upstream/opLogPage.js';

export interface Loaders {
  opLogWindow: DataLoader<OpLogWindow, OpLogPage, string>;
  /** A new set for one subscription event: windows within `snapshot` come from it, the others as usual. */
  forSnapshot(snapshot: LogSnapshot): Loaders;
}

/** `requester` is handed to the client with every call, for its events (upstream/events.ts). */
export function createLoaders(client: MetaStudioClient, requester?: object, snapshot?: LogSnapshot): Loaders {
  return {
    opLogWindow: new DataLoader<OpLogWindow, OpLogPage, string>(
      (windows) => {
        upstreamEvents.loaderBatch.publish({ loader: 'opLogWindow', size: windows.length });
        if (!snapshot) return loadWindows(client, windows, requester);
        const read = windows.map((window) => pageFromSnapshot(snapshot, window));
        const unread = windows.filter((_, i) => !read[i]);
        return loadWindows(client, unread, requester).then((pages) => read.map((page) => page ?? pages.shift()!));
      },
      {
        // Everything that changes the answer is in the key, the project included.
        cacheKeyFn: ({ jobId, offset, limit }) => JSON.stringify([client.projectId, jobId, offset, limit]),
      },
    ),
    // The event's calls belong to the request that opened the subscription.
    forSnapshot: (next) => createLoaders(client, requester, next),
  };
}

interface Span {
  jobId: string;
  offset: number;
  end: number;
}

/** Fetches each window, one upstream call per span; a failed span fails only its own windows. */
async function loadWindows(
  client: MetaStudioClient,
  windows: readonly OpLogWindow[],
  requester: object | undefined,
): Promise<Array<OpLogPage | Error>> {
  const spanOf = mergeWindows(windows);
  const pages = new Map<Span, Promise<OpLogPage | Error>>();
  const options = { requester };
  for (const span of new Set(spanOf.values())) {
    const call = client.listOperationLogs(
      { jobId: span.jobId, offset: span.offset, limit: span.end - span.offset },
      options,
    );
    pages.set(
      span,
      call.catch((error: Error) => error),
    );
  }
  return Promise.all(
    windows.map(async (window) => {
      const span = spanOf.get(window)!;
      const page = await pages.get(span)!;
      if (page instanceof Error) return page;
      const start = window.offset - span.offset;
      return { count: page.count, operations: page.operations.slice(start, start + window.limit) };
    }),
  );
}

/**
 * Covers the windows with spans of at most MAX_UPSTREAM_PAGE operations, in one
 * left-to-right sweep per job: e.g. [0,10) [0,10) [5,15) become one span [0,15).
 * Returns the span that wholly holds each window.
 */
function mergeWindows(windows: readonly OpLogWindow[]): Map<OpLogWindow, Span> {
  const spanOf = new Map<OpLogWindow, Span>();
  const sorted = [...windows].sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : a.offset - b.offset));
  let current: Span | undefined;
  for (const window of sorted) {
    const { jobId, offset } = window;
    const end = offset + window.limit;
    if (current && current.jobId === jobId && Math.max(current.end, end) - current.offset <= MAX_UPSTREAM_PAGE) {
      current.end = Math.max(current.end, end);
    } else {
      current = { jobId, offset, end };
    }
    spanOf.set(window, current);
  }
  return spanOf;
}
