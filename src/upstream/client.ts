// The signed MetaStudio client, one for every read operation (operation.ts
// declares each: opLogs.ts, voiceTrainingJobs.ts, voiceTrainingJob.ts,
// jobAuditResult.ts). A page comes from the shared page cache, joins
// an identical call in flight, or is a new call. A call passes the signature guard
// and a circuit breaker, then up to 1 + retries attempts within one deadline; each
// attempt takes a slot under the concurrency cap, then a token from the tenant's
// rate limit (both within the queue timeout), then goes out on a keep-alive undici
// pool, signed afresh and bounded by its own timeout. The guard and the rate limit
// live where the tenant state says (this process, or Redis for every replica).
// Every call resolves to a validated page or rejects with an UpstreamError, nothing else.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { Pool, errors as undiciErrors } from 'undici';
import { UpstreamBreaker } from './breaker.js';
import { upstreamEvents, type BreakerState } from './events.js';
import {
  invalidResponse,
  throttledLocally,
  unavailable,
  upstreamHttpError,
  UpstreamError,
  type UpstreamErrorDetails,
} from './errors.js';
import type { RequestParts, UpstreamOperation } from './operation.js';
import { opLogs, type OpLogWindow } from './opLogs.js';
import type { OpLogPage } from './opLogPage.js';
import { PAGE_CACHE_DEFAULTS, PageCache } from './pageCache.js';
import { requestSigner, type SignedRequest } from './requestSigner.js';
import { SIGNATURE_REJECTIONS_TO_OPEN, type SignatureGuard } from './signatureGuard.js';
import type { Credentials } from './signer.js';
import type { TenantBudget } from './tenantBudget.js';
import { IN_PROCESS_TENANT, type TenantState } from './tenantState.js';

/** How the client protects itself and MetaStudio. */
export interface ResilienceSettings {
  /** Bounds one call with all its attempts, waits and backoffs. */
  deadlineMs: number;
  /** Attempts after the first for a retryable failure. */
  retries: number;
  /** Upstream requests per second for the tenant; 0 turns the limit off. */
  rateLimit: number;
  /** Longest wait before sending (a concurrency slot, then a rate-limit token); beyond it, UPSTREAM_THROTTLED. */
  queueTimeoutMs: number;
  /** Consecutive failed calls that open the circuit breaker. */
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export interface ClientSettings extends ResilienceSettings {
  /** Bounds one HTTP attempt: connect, headers and body. */
  timeoutMs: number;
  /** Most upstream calls in flight at once, across all requests. */
  concurrency: number;
}

/** The one place each default is written; config.ts defaults the environment from it. */
export const CLIENT_DEFAULTS: Readonly<ClientSettings> = {
  timeoutMs: 10_000,
  concurrency: 8,
  deadlineMs: 30_000,
  retries: 2,
  rateLimit: 20,
  queueTimeoutMs: 5_000,
  breakerThreshold: 10,
  breakerCooldownMs: 30_000,
};

export interface MetaStudioClientOptions extends Partial<ClientSettings> {
  /** Origin (and optional base path) of the API, e.g. https://metastudio.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  projectId: string;
  credentials: Credentials;
  /** Shares answered and in-flight pages across requests; single-flight only when absent. */
  pageCache?: PageCache;
  /** Where the tenant's rate limit and the signature guard live (main.ts hands the cluster's); this process when absent. */
  cluster?: TenantState;
  /** Clock for X-Sdk-Date; replaceable in tests. */
  now?: () => Date;
  /** Milliseconds clock of the rate limit (in process, or the fallback with Redis) and of the queue timeout; replaceable in tests. */
  clock?: () => number;
}

export interface ReadOptions {
  /** Skip the page cache and any call in flight: a new call. */
  fresh?: boolean;
  /** Handed back in the call's events (see events.ts). */
  requester?: object | undefined;
}

/** One call in progress: what every step of it needs. */
interface Call<P, T extends object> {
  operation: UpstreamOperation<P, T>;
  params: P;
  requester: object | undefined;
  attempts: number;
}

/** What one HTTP exchange learned, for the attempt event. */
interface AttemptReport {
  status?: number;
  upstreamRequestId?: string | undefined;
}

/** Far above the largest legitimate page (100 operations), far below what hurts us. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Shorter than common upstream/LB idle timeouts, so we never reuse a socket the peer already closed. */
const KEEP_ALIVE_MS = 4_000;
/** Full-jitter exponential backoff: attempt n waits a random time below min(MAX, BASE * 2^(n-1)). */
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 2_000;
/** A Retry-After longer than this is not waited for: the call fails and the caller sees retryAfterSeconds. */
const RETRY_AFTER_MAX_MS = 5_000;
/** Answers worth asking again for; other 4xx would only repeat themselves (and 401s count towards the AK lock). */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export class MetaStudioClient {
  readonly projectId: string;
  private readonly pool: Pool;
  private readonly sign: (parts: RequestParts, date: Date) => SignedRequest;
  private readonly limit: LimitFunction;
  private readonly bucket: TenantBudget | null;
  private readonly guard: SignatureGuard;
  private readonly clock: () => number;
  /** Calls still in the slot queue that gave up waiting: they will take no token. */
  private expiredInQueue = 0;
  /** Calls that found every slot taken and are asking the budget for their wait. */
  private askingBudget = 0;
  private readonly breaker: UpstreamBreaker;
  private readonly pageCache: PageCache;
  /** Who is asking, as part of every cache key: the same window means other data for another tenant. */
  private readonly identity: string;
  /** The tenant MetaStudio budgets and locks: a hash of endpoint, project and AK. */
  readonly tenant: string;
  private readonly settings: ClientSettings;

  constructor(private readonly options: MetaStudioClientOptions) {
    const url = new URL(options.endpoint);
    this.projectId = options.projectId;
    this.sign = requestSigner({
      host: url.host,
      basePath: url.pathname.split('/').filter(Boolean).map(decodeURIComponent),
      projectId: options.projectId,
      credentials: options.credentials,
    });
    const settings: ClientSettings = { ...CLIENT_DEFAULTS };
    for (const key of Object.keys(settings) as (keyof ClientSettings)[]) settings[key] = options[key] ?? settings[key];
    this.settings = settings;
    this.limit = pLimit(settings.concurrency);
    this.clock = options.clock ?? performance.now.bind(performance);
    this.pageCache = options.pageCache ?? new PageCache({ ...PAGE_CACHE_DEFAULTS, ttlMs: 0 });
    const { accessKey, securityToken = '' } = options.credentials;
    this.identity = createHash('sha256')
      .update(JSON.stringify([url.href, options.projectId, accessKey, securityToken]))
      .digest('hex');
    // MetaStudio budgets and locks per AK and project; a renewed security token is the same tenant.
    const tenant = createHash('sha256')
      .update(JSON.stringify([url.href, options.projectId, accessKey]))
      .digest('hex');
    this.tenant = tenant;
    const cluster = options.cluster ?? IN_PROCESS_TENANT;
    const rate = this.settings.rateLimit;
    this.bucket = rate > 0 ? cluster.tenantBudget(tenant, rate, this.clock) : null;
    this.guard = cluster.signatureGuard(tenant, this.settings.breakerCooldownMs);
    this.breaker = new UpstreamBreaker({
      threshold: this.settings.breakerThreshold,
      cooldownMs: this.settings.breakerCooldownMs,
    });
    this.pool = new Pool(url.origin, {
      connections: settings.concurrency,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      connect: { timeout: settings.timeoutMs },
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
  }

  /**
   * One read of `operation`: from the page cache, or joined to the same call in
   * flight, or else a new call. `fresh` always makes a new call, for pollers:
   * they exist to see what is new. The events this causes carry `requester`
   * (see events.ts).
   */
  read<P, T extends object>(
    operation: UpstreamOperation<P, T>,
    params: P,
    { fresh = false, requester }: ReadOptions = {},
  ): Promise<T> {
    if (fresh) return this.call({ operation, params, requester, attempts: 0 });
    const key = `${this.identity}:${operation.name}:${operation.cacheKey(params)}`;
    return this.pageCache.get(key, () => this.call({ operation, params, requester, attempts: 0 }), requester);
  }

  /** A window of a job's operation log (ListJobOperationLog): the reads the loaders and pollers make most. */
  listOperationLogs(window: OpLogWindow, options?: ReadOptions): Promise<OpLogPage> {
    return this.read(opLogs, window, options);
  }

  /** One call, through the signature guard, the breaker, the deadline, retries, the rate limit and the concurrency cap. */
  private async call<P, T extends object>(call: Call<P, T>): Promise<T> {
    const started = performance.now();
    let outcome: 'ok' | UpstreamError['code'] = 'ok';
    try {
      const pausedMs = await this.guard.check();
      if (pausedMs > 0) {
        throw new UpstreamError(
          'UPSTREAM_UNAUTHORIZED',
          `MetaStudio calls are paused for up to ${Math.ceil(pausedMs)} ms after ${SIGNATURE_REJECTIONS_TO_OPEN} rejected signatures in a row (MetaStudio locks the AK after 5); the call was not made`,
        );
      }
      return await this.breaker.execute(() => this.callWithRetries(call));
    } catch (error) {
      outcome = (error as UpstreamError).code;
      throw error;
    } finally {
      upstreamEvents.call.publish({
        operation: call.operation.name,
        ...call.operation.target(call.params),
        attempts: call.attempts,
        durationMs: performance.now() - started,
        outcome,
        requester: call.requester,
      });
    }
  }

  /** Upstream calls being made right now. */
  get inFlight(): number {
    return this.limit.activeCount;
  }

  /** UPSTREAM_RATE_LIMIT: the tenant's upstream requests per second; 0 when off. */
  get rateLimit(): number {
    return this.settings.rateLimit;
  }

  /** How long an answered page is served again (UPSTREAM_CACHE_TTL_MS); errors are never kept. */
  get cacheTtlMs(): number {
    return this.pageCache.ttlMs;
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  // Retries are ours rather than undici's retry interceptor: each attempt must be
  // signed anew (a fresh X-Sdk-Date) and must take its own rate-limit token.
  private async callWithRetries<P, T extends object>(call: Call<P, T>): Promise<T> {
    const deadlineAt = performance.now() + this.settings.deadlineMs;
    const remaining = () => deadlineAt - performance.now();
    for (let attempt = 1; ; attempt++) {
      let failure: UpstreamError;
      try {
        return await this.withSendPermit(remaining(), () => {
          // Waits for a slot and a token may have used up what was left.
          const attemptMs = Math.floor(Math.min(this.settings.timeoutMs, remaining()));
          if (attemptMs < 1) throw unavailable(`no answer within the ${this.settings.deadlineMs} ms deadline`);
          call.attempts = attempt;
          return this.attempt(call, attempt, attemptMs);
        });
      } catch (error) {
        failure = error as UpstreamError;
      }
      const delayMs = this.retryDelay(failure, attempt, remaining());
      if (delayMs === null) throw failure;
      upstreamEvents.retry.publish({
        operation: call.operation.name,
        jobId: call.operation.target(call.params).jobId,
        attempt,
        delayMs,
        errorCode: failure.code,
      });
      await sleep(delayMs);
    }
  }

  /**
   * Runs `send` once it holds a concurrency slot and then a rate-limit token, both
   * within UPSTREAM_QUEUE_TIMEOUT_MS (and the deadline); otherwise fails with
   * UPSTREAM_THROTTLED, without sending. The token comes last, just before sending:
   * calls that queued for a slot (say, behind a stalled upstream) then go out at
   * the budgeted rate, not in a burst. A call that would queue for a slot first
   * asks the budget how long the calls queued before it leave it waiting for a
   * token, and fails at once when that is already too long.
   */
  private async withSendPermit<T>(remainingMs: number, send: () => Promise<T>): Promise<T> {
    const budgetMs = Math.min(this.settings.queueTimeoutMs, remainingMs);
    const started = this.clock();
    const left = () => Math.max(0, budgetMs - (this.clock() - started));
    const refuse = (waitedMs: number, problem: string) => {
      upstreamEvents.rateLimitWait.publish({ waitedMs, outcome: 'timeout' });
      return throttledLocally(`${problem} within ${Math.round(budgetMs)} ms; the call was not made`);
    };
    const noToken = `the request budget for MetaStudio (UPSTREAM_RATE_LIMIT=${this.settings.rateLimit}/s) has no room`;
    if (this.bucket && this.limit.activeCount >= this.settings.concurrency) {
      // Calls still asking (a Redis round trip for the shared budget) will queue too: count them ahead.
      const ahead = this.limit.pendingCount - this.expiredInQueue + this.askingBudget;
      this.askingBudget += 1;
      let waitMs: number;
      try {
        waitMs = await this.bucket.waitMs(ahead + 1);
      } finally {
        this.askingBudget -= 1;
      }
      // From here to joining the slot queue is synchronous, so the call is counted all along.
      if (waitMs > left()) throw refuse(0, `${noToken} for this call and the ${ahead} queued before it`);
    }
    const bucket = this.bucket;
    const sendWithToken = async () => {
      if (!bucket) return send();
      const waitedMs = await bucket.take(left());
      if (waitedMs === null) throw refuse(0, noToken);
      if (waitedMs > 0) upstreamEvents.rateLimitWait.publish({ waitedMs, outcome: 'granted' });
      return send();
    };
    return this.inSlot(sendWithToken, left(), () =>
      refuse(budgetMs, `no connection slot was free (UPSTREAM_CONCURRENCY=${this.settings.concurrency})`),
    );
  }

  /** Runs `send` in a concurrency slot, giving up on the wait for one after `waitMs`. */
  private inSlot<T>(send: () => Promise<T>, waitMs: number, expired: () => UpstreamError): Promise<T> {
    let state: 'queued' | 'sent' | 'expired' = 'queued';
    let timer: NodeJS.Timeout | undefined;
    const queued = this.limit(() => {
      if (state === 'expired') {
        this.expiredInQueue -= 1;
        return Promise.reject(new Error('gave up waiting in the queue'));
      }
      state = 'sent';
      return send();
    });
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          // Once it has a slot, the token's own limit and the attempt's timeout bound it.
          if (state !== 'queued') return;
          state = 'expired';
          this.expiredInQueue += 1;
          reject(expired());
        },
        Math.max(1, waitMs),
      );
    });
    // A slot granted after giving up rejects at once; that late rejection is already handled by the race.
    return Promise.race([queued, deadline]).finally(() => clearTimeout(timer));
  }

  /** Milliseconds to wait before retrying, or null to give up with this failure. */
  private retryDelay(failure: UpstreamError, attempt: number, remainingMs: number): number | null {
    if (attempt > this.settings.retries || !isRetryable(failure)) return null;
    const { retryAfterSeconds } = failure.details;
    let delayMs: number;
    if (retryAfterSeconds !== undefined) {
      delayMs = retryAfterSeconds * 1000;
      if (delayMs > RETRY_AFTER_MAX_MS) return null;
    } else {
      delayMs = Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
    }
    // A wait that outlasts the deadline would only end in a timeout.
    return delayMs < remainingMs ? Math.round(delayMs) : null;
  }

  private async attempt<P, T extends object>(call: Call<P, T>, attempt: number, timeoutMs: number): Promise<T> {
    const started = performance.now();
    const report: AttemptReport = {};
    let errorCode: UpstreamError['code'] | undefined;
    try {
      return await this.send(call, timeoutMs, report);
    } catch (error) {
      errorCode = (error as UpstreamError).code;
      throw error;
    } finally {
      upstreamEvents.attempt.publish({
        operation: call.operation.name,
        resource: call.operation.resource,
        jobId: call.operation.target(call.params).jobId,
        attempt,
        durationMs: performance.now() - started,
        ...report,
        errorCode,
        requester: call.requester,
      });
      // Any answer but a 401 got past the gateway's signature check. A rejection is
      // counted before the next call checks; the reset need not hold up this answer
      // (in process it is immediate, and on Redis it goes out ahead of any later check).
      if (report.status === 401) await this.guard.rejected();
      else if (report.status !== undefined) void this.guard.accepted();
    }
  }

  private async send<P, T extends object>(
    { operation, params }: Call<P, T>,
    timeoutMs: number,
    report: AttemptReport,
  ): Promise<T> {
    let path: string;
    let sendHeaders: Record<string, string>;
    try {
      ({ path, headers: sendHeaders } = this.sign(operation.request(params), this.options.now?.() ?? new Date()));
    } catch (error) {
      // Only text with no UTF-8 form (a lone surrogate) cannot be percent-encoded.
      const problem =
        error instanceof URIError ? 'a job id or parameter is not valid Unicode text' : (error as Error).message;
      throw new UpstreamError('UPSTREAM_BAD_REQUEST', `The request cannot be sent: ${problem}`);
    }

    let status: number | undefined;
    let requestId: string | undefined;
    let retryAfterSeconds: number | undefined;
    let text: string;
    // Not AbortSignal.timeout: its timer outlives the answer by the whole timeout, so
    // under load every call leaves one behind for the old generation to collect.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    try {
      const response = await this.pool.request({ method: 'GET', path, headers: sendHeaders, signal: timeout.signal });
      status = response.statusCode;
      requestId = firstHeader(response.headers['x-request-id']);
      report.status = status;
      report.upstreamRequestId = requestId;
      retryAfterSeconds = parseRetryAfter(firstHeader(response.headers['retry-after']));
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, { status, requestId }, timeoutMs);
    } finally {
      clearTimeout(timer);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (status >= 200 && status < 300) {
        throw invalidResponse('the body is not JSON', { status, requestId });
      }
      throw upstreamHttpError(status, { requestId, retryAfterSeconds });
    }

    if (status < 200 || status >= 300) {
      const { error_code, error_msg } = (body ?? {}) as Record<string, unknown>;
      throw upstreamHttpError(status, {
        requestId,
        retryAfterSeconds,
        errorCode: typeof error_code === 'string' ? error_code : undefined,
        errorMsg: typeof error_msg === 'string' ? error_msg : undefined,
      });
    }

    const parsed = operation.parse(body, params);
    if (!parsed.ok) throw invalidResponse(parsed.problem, { status, requestId });
    return parsed.value;
  }
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds, from either of its forms (delta-seconds or an HTTP date). */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** 429 and 5xx answers, and failures to get any answer (resets, stale keep-alive sockets, timeouts). */
function isRetryable(failure: UpstreamError): boolean {
  const { status } = failure.details;
  if (status !== undefined && (status < 200 || status >= 300)) return RETRYABLE_STATUSES.has(status);
  return failure.code === 'UPSTREAM_UNAVAILABLE';
}

function transportError(error: unknown, details: UpstreamErrorDetails, timeoutMs: number): UpstreamError {
  if (error instanceof undiciErrors.ResponseExceededMaxSizeError) {
    return invalidResponse(`the body exceeds ${MAX_RESPONSE_BYTES} bytes`, details);
  }
  const name = (error as { name?: unknown } | null)?.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return unavailable(`no answer within ${timeoutMs} ms`, details);
  }
  // Connection refused or reset, DNS failure, socket closed mid-answer.
  return unavailable(`network error (${typeof code === 'string' ? code : 'connection failed'})`, details);
}
