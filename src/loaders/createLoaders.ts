// Per-request DataLoaders. One set is made for each GraphQL request, so the
// per-request cache never leaks between callers. Within a request, every field
// that asks for a window of a job's log is batched: windows of one job that fit
// in one upstream page are merged into a single call and sliced back out of it;
// details and audit results are read once per job, all at once. A subscription
// event's job reads through a set of its own, which answers the windows its
// poller already read at no upstream call, and reads the job's details and audit
// result afresh, once per event however many subscribers ask. With scoping on,
// every read of a job by id waits for the request's check that the job is the
// caller's (scope/jobAccess.ts), which reads the job's details once, with the
// caller's X-App-UserId, as the details fields then do.
import DataLoader from 'dataloader';
import { pageFromSnapshot, type LogSnapshot } from '../live/logSnapshot.js';
import { SCOPING_OFF, type CallerScope } from '../scope/callerScope.js';
import { JobAccess } from '../scope/jobAccess.js';
import { LocalOwnerMemo, type OwnerMemo } from '../scope/ownerMemo.js';
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
  /** A job's own record (ShowVoiceTrainingJob), as MetaStudio shows it to the caller's app user when scoped. */
  jobDetails: DataLoader<JobRef, TrainingJobInfo, string>;
  auditResult: DataLoader<{ jobId: string }, AuditResult, string>;
  /** Pages of the job list; their jobs are primed into jobDetails, so their details cost nothing more. */
  jobList: DataLoader<JobListQuery, JobListPage, string>;
  /** Whether a job is the caller's: every read of a job above waits for it. */
  access: JobAccess;
  /** A new set for one subscription event: windows within `snapshot` come from it, the others as usual. */
  forSnapshot(snapshot: LogSnapshot): Loaders;
}

/** Whose jobs the request may read, where decisions are remembered, and for how long a confirmed owner. */
export interface Scoping {
  scope: CallerScope;
  memo: OwnerMemo;
  ownershipTtlMs: number;
}

/** Reads made afresh for a subscription event, by the event's snapshot, shared by every subscriber that gets it. */
const eventReads = new WeakMap<LogSnapshot, Map<string, Promise<object>>>();

const UNSCOPED: Scoping = { scope: SCOPING_OFF, memo: new LocalOwnerMemo(), ownershipTtlMs: 0 };

/** `requester` is handed to the client with every call, for its events (upstream/events.ts). */
export function createLoaders(client: MetaStudioClient, requester?: object, scoping: Scoping = UNSCOPED): Loaders {
  const { scope } = scoping;
  const appUserId = scope.kind === 'user' ? scope.appUserId : undefined;
  const reads = new Reads(client, requester);
  const access = new JobAccess(
    scope,
    scoping.memo,
    // The same key as the details fields', so that the check's read is theirs too.
    (jobId) => reads.jobDetails.load({ jobId, appUserId }).then((details) => details.appUserId ?? undefined),
    // A refusal is remembered exactly as long as an unknown job's answer would be kept: neither is faster.
    { ownershipTtlMs: scoping.ownershipTtlMs, refusalTtlMs: client.cacheTtlMs },
    requester,
  );
  return checked(client, requester, access, appUserId, reads);
}

/** Nothing to check: the reads themselves. Else each read of a job waits for its check, refused jobs read nothing. */
function checked(
  client: MetaStudioClient,
  requester: object | undefined,
  access: JobAccess,
  appUserId: string | undefined,
  reads: ReadLoaders,
): Loaders {
  // The event's calls belong to the request that opened the subscription, and so does its check.
  const forSnapshot = (next: LogSnapshot) =>
    checked(client, requester, access, appUserId, new Reads(client, requester, next));
  // Onto the reads themselves, so that the loaders nobody asks for are still never made.
  if (!access.checks) return Object.assign(reads, { access, forSnapshot });
  const gate = <K extends { jobId: string }, V>(loader: DataLoader<K, V, string>, cacheKeyFn: (key: K) => string) =>
    new DataLoader<K, V, string>(
      async (keys) => {
        const refusals = await access.refusals(keys.map((key) => key.jobId));
        return Promise.all(keys.map((key, i) => refusals[i] ?? loader.load(key).catch((error: Error) => error)));
      },
      { cacheKeyFn },
    );
  return {
    opLogWindow: gate(reads.opLogWindow, windowKey(client)),
    // Whoever asks, the caller's X-App-UserId: one key, one read, for the check and the fields.
    jobDetails: gate(
      new DataLoader<JobRef, TrainingJobInfo, string>((refs) =>
        Promise.all(refs.map((ref) => reads.jobDetails.load({ jobId: ref.jobId, appUserId }).catch((e: Error) => e))),
      ),
      (ref) => voiceTrainingJob.cacheKey(ref),
    ),
    auditResult: gate(reads.auditResult, (ref) => jobAuditResult.cacheKey(ref)),
    jobList: reads.jobList,
    access,
    forSnapshot,
  };
}

type ReadLoaders = Omit<Loaders, 'access' | 'forSnapshot'>;

/** Everything that changes a window's answer, the project included. */
const windowKey =
  (client: MetaStudioClient) =>
  ({ jobId, offset, limit }: OpLogWindow) =>
    JSON.stringify([client.projectId, jobId, offset, limit]);

/**
 * The reads, unchecked; in an event, the event's job is read afresh. A class, so
 * that the loaders made when first asked for cost a request no closures: a
 * request that reads only op-logs pays for none of them.
 */
class Reads implements ReadLoaders {
  readonly opLogWindow: DataLoader<OpLogWindow, OpLogPage, string>;
  #jobDetails: ReadLoaders['jobDetails'] | undefined;
  #auditResult: ReadLoaders['auditResult'] | undefined;
  #jobList: ReadLoaders['jobList'] | undefined;

  constructor(
    private readonly client: MetaStudioClient,
    private readonly requester?: object,
    private readonly snapshot?: LogSnapshot,
  ) {
    this.opLogWindow = new DataLoader((windows) => this.readWindows(windows), { cacheKeyFn: windowKey(client) });
  }

  get jobDetails(): ReadLoaders['jobDetails'] {
    this.#jobDetails ??= new DataLoader((refs) => this.readEach('jobDetails', voiceTrainingJob, refs), {
      cacheKeyFn: (ref) => voiceTrainingJob.cacheKey(ref),
    });
    return this.#jobDetails;
  }

  get auditResult(): ReadLoaders['auditResult'] {
    this.#auditResult ??= new DataLoader((refs) => this.readEach('auditResult', jobAuditResult, refs), {
      cacheKeyFn: (ref) => jobAuditResult.cacheKey(ref),
    });
    return this.#auditResult;
  }

  /** Pages of the list; their jobs are primed into jobDetails. */
  get jobList(): ReadLoaders['jobList'] {
    this.#jobList ??= new DataLoader((queries) => this.readLists(queries), {
      cacheKeyFn: (query) => voiceTrainingJobs.cacheKey(query),
    });
    return this.#jobList;
  }

  private readWindows(windows: readonly OpLogWindow[]): Promise<Array<OpLogPage | Error>> {
    const { client, requester, snapshot } = this;
    upstreamEvents.loaderBatch.publish({ loader: 'opLogWindow', size: windows.length });
    if (!snapshot) return loadWindows(client, windows, requester);
    const read = windows.map((window) => pageFromSnapshot(snapshot, window));
    const unread = windows.filter((_, i) => !read[i]);
    return loadWindows(client, unread, requester).then((pages) => read.map((page) => page ?? pages.shift()!));
  }

  /** One read per key, all at once; a failed read fails only its own key. In an event, the event's job is read afresh. */
  private readEach<K extends { jobId: string }, T extends object>(
    loader: string,
    operation: UpstreamOperation<K, T>,
    keys: readonly K[],
  ): Promise<Array<T | Error>> {
    const { client, requester, snapshot } = this;
    upstreamEvents.loaderBatch.publish({ loader, size: keys.length });
    return Promise.all(
      keys.map((key) => {
        const read =
          snapshot && key.jobId === snapshot.jobId
            ? readForEvent(snapshot, operation, key, () => client.read(operation, key, { fresh: true, requester }))
            : client.read(operation, key, { requester });
        return read.catch((error: Error) => error);
      }),
    );
  }

  private readLists(queries: readonly JobListQuery[]): Promise<Array<JobListPage | Error>> {
    upstreamEvents.loaderBatch.publish({ loader: 'jobList', size: queries.length });
    return Promise.all(
      queries.map((query) =>
        this.client.read(voiceTrainingJobs, query, { requester: this.requester }).then(
          (page) => {
            for (const job of page.jobs) {
              if (job.jobId !== null) this.jobDetails.prime({ jobId: job.jobId, appUserId: query.appUserId }, job);
            }
            return page;
          },
          (error: Error) => error,
        ),
      ),
    );
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
