// What the upstream layer reports about itself, on node:diagnostics_channel.
// Metrics, request logs and tracing subscribe; the client never imports them,
// so data still flows one way and an unobserved event costs one boolean check.
// A call's events carry its `requester`: whatever the caller of
// the client's read passed (the app passes the HTTP request), handed back
// untouched, so that an observer can tell whose call it was without
// AsyncLocalStorage, whose hooks would tax every promise of the process.
import diagnosticsChannel from 'node:diagnostics_channel';
import type { UpstreamErrorCode } from './errors.js';

/** One HTTP exchange with MetaStudio (a call makes 1 + retries of them). */
export interface AttemptEvent {
  /** The operation's name, e.g. listOperationLogs (see operation.ts). */
  operation: string;
  /** What it reads, e.g. op-logs. */
  resource: string;
  /** The job, for operations on one job. */
  jobId?: string | undefined;
  /** Who caused the call (see above); a call joined in flight belongs to the first. */
  requester?: object | undefined;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
  /** The upstream's HTTP status, when an answer arrived. */
  status?: number | undefined;
  /** Set when the attempt failed. */
  errorCode?: UpstreamErrorCode | undefined;
  /** The upstream's own X-Request-Id, for support tickets. */
  upstreamRequestId?: string | undefined;
}

/** One logical call of the client: all its attempts, waits and retries. */
export interface CallEvent {
  operation: string;
  jobId?: string | undefined;
  requester?: object | undefined;
  /** The window, for operations that page. */
  offset?: number | undefined;
  limit?: number | undefined;
  /** HTTP attempts made; 0 when the call failed fast (breaker open, rate-limit queue full). */
  attempts: number;
  durationMs: number;
  outcome: 'ok' | UpstreamErrorCode;
}

export interface RetryEvent {
  operation: string;
  jobId?: string | undefined;
  /** The attempt that failed and is retried. */
  attempt: number;
  delayMs: number;
  errorCode: UpstreamErrorCode;
}

/** Published when a call had to wait for a rate-limit token, or could not be sent in time. */
export interface RateLimitWaitEvent {
  /** The token's wait when granted; when refused, how long the call waited before giving up (0: refused at once). */
  waitedMs: number;
  /** `timeout`: no slot and token within UPSTREAM_QUEUE_TIMEOUT_MS, the call failed with no upstream request. */
  outcome: 'granted' | 'timeout';
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerEvent {
  state: BreakerState;
  previous: BreakerState;
}

export interface CacheEvent {
  /** `shared`: joined an identical call already in flight. */
  outcome: 'hit' | 'miss' | 'shared';
  /** Who asked for the page. */
  requester?: object | undefined;
}

export interface LoaderBatchEvent {
  loader: string;
  size: number;
}

export class Channel<T extends object> {
  private readonly channel: diagnosticsChannel.Channel;

  constructor(readonly name: string) {
    this.channel = diagnosticsChannel.channel(name);
  }

  publish(event: T): void {
    if (this.channel.hasSubscribers) this.channel.publish(event);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: T) => void): () => void {
    const onMessage = (message: unknown) => listener(message as T);
    diagnosticsChannel.subscribe(this.name, onMessage);
    return () => diagnosticsChannel.unsubscribe(this.name, onMessage);
  }
}

export const upstreamEvents = {
  attempt: new Channel<AttemptEvent>('metastudio:upstream:attempt'),
  call: new Channel<CallEvent>('metastudio:upstream:call'),
  retry: new Channel<RetryEvent>('metastudio:upstream:retry'),
  rateLimitWait: new Channel<RateLimitWaitEvent>('metastudio:upstream:rate-limit-wait'),
  breaker: new Channel<BreakerEvent>('metastudio:upstream:breaker'),
  cache: new Channel<CacheEvent>('metastudio:upstream:cache'),
  loaderBatch: new Channel<LoaderBatchEvent>('metastudio:loader:batch'),
};
