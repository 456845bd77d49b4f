// The live side of the server: one poller per watched job, shared by all its
// subscribers in the process (one LiveJobs per upstream client, so per
// credential identity), within the subscription limits and the polling budget.
import { AsyncResource } from 'node:async_hooks';
import { createGraphQLError } from 'graphql-yoga';
import type { MetaStudioClient } from '../upstream/client.js';
import { JobPoller, REAL_TIMERS, type PollerSeed, type Timers, type WatchedJob } from './jobPoller.js';
import { LiveSubscription } from './liveSubscription.js';
import { PollBudget } from './pollBudget.js';
import type { JobSharing } from '../cluster/clusterState.js';
import { type RelayedState, SharedJob } from './sharedJob.js';

export interface LiveSettings {
  /** SUBSCRIPTION_POLL_MS: the wait after a change. */
  pollMs: number;
  /** SUBSCRIPTION_POLL_MAX_MS: the longest wait while nothing changes. */
  pollMaxMs: number;
  /** SUBSCRIPTION_UPSTREAM_SHARE: share of UPSTREAM_RATE_LIMIT the pollers may take together. */
  upstreamShare: number;
  /** SUBSCRIPTION_MAX_FAILURES: consecutive failed polls that end a job's subscriptions. */
  maxFailures: number;
  /** SUBSCRIPTION_MAX_PER_CALLER: open subscriptions per caller. */
  maxPerCaller: number;
  /** SUBSCRIPTION_MAX_JOBS: distinct jobs watched at once in the process. */
  maxJobs: number;
  /** SUBSCRIPTION_MAX_DURATION_MS: a subscription completes after this long. */
  maxDurationMs: number;
}

export const LIVE_DEFAULTS: LiveSettings = {
  pollMs: 5_000,
  pollMaxMs: 60_000,
  upstreamShare: 0.5,
  maxFailures: 5,
  maxPerCaller: 20,
  maxJobs: 1_000,
  maxDurationMs: 86_400_000,
};

/** The smallest SUBSCRIPTION_POLL_MS accepted. */
export const MIN_POLL_MS = 50;

export interface LiveJobsOptions extends Partial<LiveSettings> {
  /** Timers for polls and the duration limit; replaceable in tests. */
  timers?: Timers;
  /** Replicas sharing the tenant's upstream budget (the cluster's count); 1 by default. */
  replicas?: () => number;
  /** Leases and relay through Redis: each job is polled by one replica of the cluster. Absent: by this process. */
  sharing?: JobSharing<RelayedState> | null;
  /** How long a job's lease lasts unrenewed; 1.5 × SUBSCRIPTION_POLL_MAX_MS by default. */
  leaseMs?: number;
}

function refused(setting: string, message: string) {
  return createGraphQLError(`${message} (limit ${setting})`, { extensions: { code: 'RATE_LIMITED', limit: setting } });
}

export class LiveJobs {
  readonly settings: LiveSettings;
  private readonly budget: PollBudget;
  private readonly timers: Timers;
  private readonly pollers = new Map<string, WatchedJob>();
  private readonly sharing: JobSharing<RelayedState> | null;
  private readonly leaseMs: number;
  private readonly perCaller = new Map<string, number>();
  private readonly open = new Set<LiveSubscription>();
  private closed = false;
  // Pollers outlive the request that started them: their calls belong to no request's trace
  // (tracing follows the async context; the request log, the requester, which pollers never pass).
  private readonly detached = new AsyncResource('LiveJobs');

  constructor(
    private readonly client: MetaStudioClient,
    { timers = REAL_TIMERS, replicas = () => 1, sharing = null, leaseMs, ...settings }: LiveJobsOptions = {},
  ) {
    this.settings = { ...LIVE_DEFAULTS, ...settings };
    this.timers = timers;
    this.sharing = sharing;
    // A dead holder's job is polled again within 7/6 of this: 1.75 × SUBSCRIPTION_POLL_MAX_MS, inside the 2 × promised.
    this.leaseMs = leaseMs ?? 1.5 * this.settings.pollMaxMs;
    const clusterPollers = sharing ? () => sharing.leases.polled : undefined;
    this.budget = new PollBudget({ ...this.settings, rateLimit: client.rateLimit, replicas, clusterPollers });
  }

  /**
   * A subscriber's stream of `jobId`'s events (the id already checked), ended
   * when `signal` aborts (the caller went away); its end event carries
   * `requester` (see liveEvents.ts). Throws a RATE_LIMITED GraphQL
   * error, touching nothing, when a limit refuses it.
   */
  subscribe(jobId: string, caller: string, signal?: AbortSignal, requester?: object): LiveSubscription {
    if (this.closed) {
      throw createGraphQLError('The server is shutting down; subscribe again', {
        extensions: { code: 'SHUTTING_DOWN' },
      });
    }
    const { maxPerCaller, maxJobs, maxDurationMs } = this.settings;
    const callerCount = this.perCaller.get(caller) ?? 0;
    if (callerCount >= maxPerCaller) {
      throw refused('SUBSCRIPTION_MAX_PER_CALLER', `This caller already has ${callerCount} open subscriptions`);
    }
    let poller = this.pollers.get(jobId);
    const isNew = !poller;
    if (!poller) {
      if (this.pollers.size >= maxJobs) {
        throw refused('SUBSCRIPTION_MAX_JOBS', `This server already watches ${this.pollers.size} jobs`);
      }
      poller = this.newPoller(jobId);
    }

    this.perCaller.set(caller, callerCount + 1);
    let unsubscribe = () => {};
    const leave = () => subscription.finish();
    const subscription = new LiveSubscription(() => {
      signal?.removeEventListener('abort', leave);
      this.timers.clearTimeout(timeLimit);
      this.open.delete(subscription);
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
      unsubscribe();
    }, requester);
    const timeLimit = this.timers.setTimeout(leave, maxDurationMs);
    signal?.addEventListener('abort', leave, { once: true });
    this.open.add(subscription);
    unsubscribe = poller.subscribe({
      event: (event) => subscription.push({ event }),
      end: (error) => subscription.finish(error),
      polled: (calls) => (subscription.pollCalls += calls),
    });
    if (isNew) this.detached.runInAsyncScope(() => poller.start());
    // Gone before it got here: nothing to send.
    if (signal?.aborted) leave();
    return subscription;
  }

  private newPoller(jobId: string): WatchedJob {
    const onStop = () => {
      if (this.pollers.get(jobId) === watched) this.pollers.delete(jobId);
    };
    const poller = (seed: PollerSeed | undefined, stopped: () => void) =>
      new JobPoller({
        jobId,
        read: (window) => this.client.listOperationLogs(window, { fresh: true }),
        budget: this.budget,
        timers: this.timers,
        maxFailures: this.settings.maxFailures,
        onStop: stopped,
        seed,
      });
    const { sharing, leaseMs, timers } = this;
    const watched: WatchedJob = sharing
      ? new SharedJob({ jobId, sharing, timers, leaseMs, onStop, newPoller: (seed) => poller(seed, () => {}) })
      : poller(undefined, onStop);
    this.pollers.set(jobId, watched);
    return watched;
  }

  get openSubscriptions(): number {
    return this.open.size;
  }

  get watchedJobs(): number {
    return this.pollers.size;
  }

  /** The wait after a change, stretched when the pollers share a tight budget. */
  get floorMs(): number {
    return this.budget.floorMs;
  }

  /** Completes every open subscription and refuses new ones: for shutdown. */
  close(): void {
    this.closed = true;
    for (const subscription of [...this.open]) subscription.finish();
  }
}
