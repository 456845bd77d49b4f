// Per-request DataLoaders. One set is made for each GraphQL request, so the
// per-request cache never leaks between callers. Within a request, every field
// that asks for a window of a job's log is batched: windows of one job that fit
// in one upstream page are merged into a single call and sliced back out of it;
// details and audit results are read once per job, all at once. A subscription
// event's job reads through a set of its own, which answers the windows its
// poller already read at no upstream call, and reads the job's details and audit
// result afresh, once per event however many subscribers ask.
import DataLoader from 'dataloader';
import { pageFromSnapshot, type LogSnapshot } from '../live/logSnapshot.js';
import type { MetaStudioClient, ReadOptions } from '../upstream/client.js';
import { upstreamEvents } from '../upstream/events.js';
import { jobAuditResult, type AuditResult } from '../upstream/jobAuditResult.js';
import type { UpstreamOperation } from '../upstream/operation.js';
import type { OpLogWindow } from '../upstream/opLogs.js';
import { MAX_UPSTREAM_PAGE, type OpLogPage } from '../upstream/opLogPage.js';
import type { TrainingJobInfo } from '../upstream/trainingJobInfo.js';
import { voiceTrainingJob, type JobRef } from '../upstream/voiceTrainingJob.js';
import { voiceTrainingJobs, type JobListPage, type JobListQuery } from '../upstream/voiceTrainingJobs.js';

export interface Loaders {
  opLogWindow: DataLoader<OpLogWindow, OpLogPage, string>;
  /** A job's own record (ShowVoiceTrainingJob), as MetaStudio shows it to `appUserId` when given. */
  jobDetails: DataLoader<JobRef, TrainingJobInfo, string>;
  auditResult: DataLoader<{ jobId: string }, AuditResult, string>;
  /** Pages of the job list; their jobs are primed into jobDetails, so their details cost nothing more. */
  jobList: DataLoader<JobListQuery, JobListPage, string>;
  /** A new set for one subscription event: windows within `snapshot` come from it, the others as usual. */
  forSnapshot(snapshot: LogSnapshot): Loaders;
}

/** Reads made afresh for a subscription event, by the event's snapshot, shared by every subscriber that gets it. */
const eventReads = new WeakMap<LogSnapshot, Map<string, Promise<object>>>();

/** `requester` is handed to the client with every call, for its events (upstream/events.ts). */
export function createLoaders(client: MetaStudioClient, requester?: object, snapshot?: LogSnapshot): Loaders {
  return new RequestLoaders(client, requester, snapshot);
}

/** The loaders a request uses most are made with it; the others when first asked for. */
class RequestLoaders implements Loaders {
  readonly opLogWindow: DataLoader<OpLogWindow, OpLogPage, string>;
  private details: Loaders['jobDetails'] | undefined;
  private audits: Loaders['auditResult'] | undefined;
  private lists: Loaders['jobList'] | undefined;
  private readonly options: ReadOptions;

  constructor(
    private readonly client: MetaStudioClient,
    private readonly requester: object | undefined,
    private readonly snapshot: LogSnapshot | undefined,
  ) {
    this.options = { requester };
    this.opLogWindow = new DataLoader<OpLogWindow, OpLogPage, string>(
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
    );
  }

  get jobDetails(): Loaders['jobDetails'] {
    this.details ??= new DataLoader(this.readEach('jobDetails', voiceTrainingJob), {
      cacheKeyFn: (ref) => voiceTrainingJob.cacheKey(ref),
    });
    return this.details;
  }

  get auditResult(): Loaders['auditResult'] {
    this.audits ??= new DataLoader(this.readEach('auditResult', jobAuditResult), {
      cacheKeyFn: (ref) => jobAuditResult.cacheKey(ref),
    });
    return this.audits;
  }

  get jobList(): Loaders['jobList'] {
    this.lists ??= new DataLoader(
      (queries) => {
        upstreamEvents.loaderBatch.publish({ loader: 'jobList', size: queries.length });
        return Promise.all(queries.map((query) => this.readList(query)));
      },
      { cacheKeyFn: (query) => voiceTrainingJobs.cacheKey(query) },
    );
    return this.lists;
  }

  // The event's calls belong to the request that opened the subscription.
  forSnapshot(next: LogSnapshot): Loaders {
    return new RequestLoaders(this.client, this.requester, next);
  }

  /** A list page; its jobs are primed as details, which they are. */
  private readList(query: JobListQuery): Promise<JobListPage | Error> {
    return this.client.read(voiceTrainingJobs, query, this.options).then(
      (page) => {
        for (const job of page.jobs) {
          if (job.jobId !== null) this.jobDetails.prime({ jobId: job.jobId, appUserId: query.appUserId }, job);
        }
        return page;
      },
      (error: Error) => error,
    );
  }

  /** One read per key, all at once; a failed read fails only its own key. In an event, the event's job is read afresh. */
  private readEach<K extends { jobId: string }, T extends object>(loader: string, operation: UpstreamOperation<K, T>) {
    const { client, snapshot, requester, options } = this;
    return (keys: readonly K[]): Promise<Array<T | Error>> => {
      upstreamEvents.loaderBatch.publish({ loader, size: keys.length });
      return Promise.all(
        keys.map((key) => {
          const read =
            snapshot && key.jobId === snapshot.jobId
              ? readForEvent(snapshot, operation, key, () => client.read(operation, key, { fresh: true, requester }))
              : client.read(operation, key, options);
          return read.catch((error: Error) => error);
        }),
      );
    };
  }
}

/** The read of `key` made for this event: the first subscriber's loaders make it, the others share it. */
function readForEvent<K, T extends object>(
  snapshot: LogSnapshot,
  operation: UpstreamOperation<K, T>,
  key: K,
  read: () => Promise<T>,
): Promise<T> {
  let reads = eventReads.get(snapshot);
  if (!reads) {
    reads = new Map();
    eventReads.set(snapshot, reads);
  }
  const id = `${operation.name}:${operation.cacheKey(key)}`;
  let pending = reads.get(id) as Promise<T> | undefined;
  if (!pending) {
    pending = read();
    reads.set(id, pending);
  }
  return pending;
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
  const options: ReadOptions = { requester };
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
