// One job's poller, shared by every subscriber of the job in the process. It
// reads the log once (the first page for the count, then, for a longer log,
// the page holding the newest operations), then polls at offset = what it has
// read, limit = 100: an idle poll returns no operations and costs one call. A
// count that went down means the log was replaced: it reads it all again.
import type { GraphQLError } from 'graphql';
import type { OpLogWindow } from '../upstream/opLogs.js';
import { UpstreamError, type UpstreamErrorCode } from '../upstream/errors.js';
import { MAX_UPSTREAM_PAGE, type OperationLog, type OpLogPage } from '../upstream/opLogPage.js';
import { jobStatusOf, type TrainingJobStatus } from './jobStatus.js';
import { liveEvents, type PollEvent } from './liveEvents.js';
import { newest, type LogSnapshot } from './logSnapshot.js';
import type { PollBudget } from './pollBudget.js';

export interface JobEvent {
  jobId: string;
  snapshot: LogSnapshot;
  status: TrainingJobStatus | null;
  /** In a subscriber's first event the newest operations (up to 100); later, those that appeared since its previous event, in order. */
  newOperations: readonly OperationLog[];
  /** The log was replaced (its count went down) and read again: subscribers start over, as with a first event. */
  replaced?: true;
}

/** Where a poller starts from when it takes over a job another poller was polling. */
export type PollerSeed = Pick<JobEvent, 'snapshot' | 'status'>;

export interface PollerListener {
  event(event: JobEvent): void;
  /** The poller ended: the job completed (no error), or an upstream failure it does not retry. */
  end(error?: GraphQLError): void;
  /** After each poll: the upstream calls it made. */
  polled(calls: number): void;
}

/** Ends every listener; `stop` runs first, so no poll or event reaches a listener after its end. */
export function endListeners(listeners: Set<PollerListener>, stop: () => void, error?: GraphQLError): void {
  const ending = [...listeners];
  listeners.clear();
  stop();
  for (const listener of ending) listener.end(error);
}

/** What LiveJobs keeps per watched job: its poller, or with replicas sharing pollers, its SharedJob. */
export interface WatchedJob {
  /** The listener gets the current state at once, or as soon as there is one; returns its unsubscribe. */
  subscribe(listener: PollerListener): () => void;
  start(): void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface JobPollerOptions {
  jobId: string;
  /** One upstream call, never answered from the page cache. */
  read: (window: OpLogWindow) => Promise<OpLogPage>;
  budget: PollBudget;
  timers: Timers;
  /** Consecutive failed polls, the first read included, that end the poller. */
  maxFailures: number;
  /** Called once when the poller stops, whatever the reason. */
  onStop: () => void;
  /** What another poller had read: this one polls on from there instead of reading the log again. */
  seed?: PollerSeed;
}

/** Answers about this job that asking again would only repeat (and 401s count towards the AK lock). */
const PERMANENT = new Set<UpstreamErrorCode>([
  'UPSTREAM_BAD_REQUEST',
  'UPSTREAM_UNAUTHORIZED',
  'UPSTREAM_FORBIDDEN',
  'UPSTREAM_NOT_FOUND',
]);

/** Operations kept per segment; events only need the newest, the first page serves `job` windows at offset 0. */
const MAX_KEPT = 10 * MAX_UPSTREAM_PAGE;

interface Segment {
  offset: number;
  operations: OperationLog[];
}

type Change = 'all' | readonly OperationLog[] | null;

export class JobPoller implements WatchedJob {
  private readonly listeners = new Set<PollerListener>();
  private segments: Segment[] = [];
  private count = 0;
  /** The state last published; null until the first read succeeds. */
  private current: Pick<JobEvent, 'snapshot' | 'status'> | null = null;
  private idlePolls = 0;
  private failures = 0;
  private timer: unknown;
  private stopped = false;
  /** The wait before the next poll, as last scheduled. */
  intervalMs = 0;

  constructor(private readonly options: JobPollerOptions) {
    options.budget.track(1);
    if (options.seed) {
      const { snapshot, status } = options.seed;
      this.segments = snapshot.segments.map(({ offset, operations }) => ({ offset, operations: [...operations] }));
      this.count = snapshot.count;
      this.current = { snapshot, status };
    }
  }

  /** The listener gets the current state at once, or with the first read when that is still under way. */
  subscribe(listener: PollerListener): () => void {
    this.listeners.add(listener);
    if (this.current) listener.event(this.firstEvent());
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  start(): void {
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    let calls = 0;
    const read = (window: Omit<OpLogWindow, 'jobId'>) => {
      calls++;
      return this.options.read({ jobId: this.options.jobId, ...window });
    };
    let change: Change = null;
    let failure: GraphQLError | undefined;
    try {
      change = this.current === null ? await this.readAll(read) : await this.readNew(read);
    } catch (error) {
      failure = error as GraphQLError;
    }
    const outcome: PollEvent['outcome'] = failure ? 'failed' : change ? 'changed' : 'unchanged';
    liveEvents.poll.publish({ jobId: this.options.jobId, outcome, calls });
    for (const listener of [...this.listeners]) listener.polled(calls);
    if (this.stopped) return;

    if (failure) {
      this.failures++;
      const permanent = failure instanceof UpstreamError && PERMANENT.has(failure.code);
      if (permanent || this.failures >= this.options.maxFailures) return this.end(failure);
      this.idlePolls++;
    } else {
      this.failures = 0;
      if (change) {
        this.idlePolls = 0;
        this.publish(change);
        // Its newest operation is COMPLETE_JOB: nothing more is coming.
        if (this.current!.status === 'COMPLETED') return this.end();
      } else {
        this.idlePolls++;
      }
    }
    this.intervalMs = this.options.budget.intervalMs(this.idlePolls);
    this.timer = this.options.timers.setTimeout(() => void this.poll(), this.intervalMs);
  }

  private async readAll(read: (window: Omit<OpLogWindow, 'jobId'>) => Promise<OpLogPage>): Promise<Change> {
    const first = await read({ offset: 0, limit: MAX_UPSTREAM_PAGE });
    let segments: Segment[] = [{ offset: 0, operations: [...first.operations] }];
    let count = first.count;
    if (count > first.operations.length) {
      const offset = Math.max(0, count - MAX_UPSTREAM_PAGE);
      const last = await read({ offset, limit: MAX_UPSTREAM_PAGE });
      count = last.count;
      // Pages that overlap or touch make one segment.
      segments =
        offset <= first.operations.length
          ? [{ offset: 0, operations: [...first.operations.slice(0, offset), ...last.operations] }]
          : [segments[0]!, { offset, operations: [...last.operations] }];
    }
    this.segments = segments;
    this.count = count;
    return 'all';
  }

  private async readNew(read: (window: Omit<OpLogWindow, 'jobId'>) => Promise<OpLogPage>): Promise<Change> {
    const last = this.segments.at(-1)!;
    const readTo = last.offset + last.operations.length;
    const page = await read({ offset: readTo, limit: MAX_UPSTREAM_PAGE });
    if (page.count < readTo) return this.readAll(read);
    const countChanged = page.count !== this.count;
    this.count = page.count;
    if (page.operations.length === 0) return countChanged ? [] : null;
    last.operations.push(...page.operations);
    const excess = last.operations.length - MAX_KEPT;
    if (excess > 0) {
      last.operations.splice(0, excess);
      last.offset += excess;
    }
    return page.operations;
  }

  private publish(change: Exclude<Change, null>): void {
    const snapshot: LogSnapshot = {
      jobId: this.options.jobId,
      count: this.count,
      segments: this.segments.map(({ offset, operations }) => ({ offset, operations: [...operations] })),
    };
    const replaced = change === 'all' && this.current !== null;
    this.current = { snapshot, status: jobStatusOf(newest(snapshot)) };
    // After a full read everyone starts over from the newest operations, as a first event does.
    const event: JobEvent =
      change === 'all'
        ? { ...this.firstEvent(), ...(replaced ? { replaced } : {}) }
        : { jobId: this.options.jobId, ...this.current, newOperations: change };
    for (const listener of [...this.listeners]) listener.event(event);
  }

  private firstEvent(): JobEvent {
    const current = this.current!;
    return { jobId: this.options.jobId, ...current, newOperations: newest(current.snapshot) };
  }

  private end(error?: GraphQLError): void {
    endListeners(this.listeners, () => this.stop(), error);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.options.budget.track(-1);
    this.options.onStop();
  }
}
