// The signed MetaStudio client: one keep-alive undici pool for the upstream
// origin, a cap on concurrent calls, a timeout on every call. Every call resolves
// to a validated page or rejects with an UpstreamError, nothing else.
import pLimit, { type LimitFunction } from 'p-limit';
import { Pool, errors as undiciErrors } from 'undici';
import { upstreamEvents } from './events.js';
import { invalidResponse, unavailable, upstreamHttpError, UpstreamError, type UpstreamErrorDetails } from './errors.js';
import { parseOpLogPage, type OpLogPage } from './opLogPage.js';
import { formatSdkDate, encodePath, signRequest, type Credentials } from './signer.js';

export interface OpLogWindow {
  jobId: string;
  offset: number;
  limit: number;
}

export interface MetaStudioClientOptions {
  /** Origin (and optional base path) of the API, e.g. https://metastudio.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  projectId: string;
  credentials: Credentials;
  timeoutMs: number;
  /** Most upstream calls in flight at once, across all requests. */
  concurrency: number;
  /** Clock for X-Sdk-Date; replaceable in tests. */
  now?: () => Date;
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

export class MetaStudioClient {
  readonly projectId: string;
  private readonly pool: Pool;
  private readonly host: string;
  private readonly basePath: string[];
  private readonly limit: LimitFunction;

  constructor(private readonly options: MetaStudioClientOptions) {
    const url = new URL(options.endpoint);
    this.projectId = options.projectId;
    this.host = url.host;
    this.basePath = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    this.limit = pLimit(options.concurrency);
    this.pool = new Pool(url.origin, {
      connections: options.concurrency,
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      connect: { timeout: options.timeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      maxResponseSize: MAX_RESPONSE_BYTES,
    });
  }

  /** GET /v1/{project_id}/voice-training-manage/user/jobs/{job_id}/op-logs */
  async listOperationLogs(window: OpLogWindow): Promise<OpLogPage> {
    const started = performance.now();
    let outcome: 'ok' | UpstreamError['code'] = 'ok';
    try {
      return await this.limit(() => this.attempt(window, 1));
    } catch (error) {
      outcome = (error as UpstreamError).code;
      throw error;
    } finally {
      upstreamEvents.call.publish({ ...window, attempts: 1, durationMs: performance.now() - started, outcome });
    }
  }

  /** Upstream calls being made right now. */
  get inFlight(): number {
    return this.limit.activeCount;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async attempt(window: OpLogWindow, attempt: number): Promise<OpLogPage> {
    const started = performance.now();
    const report: AttemptReport = {};
    let errorCode: UpstreamError['code'] | undefined;
    try {
      return await this.send(window, report);
    } catch (error) {
      errorCode = (error as UpstreamError).code;
      throw error;
    } finally {
      upstreamEvents.attempt.publish({ jobId: window.jobId, attempt, durationMs: performance.now() - started, ...report, errorCode });
    }
  }

  private async send(
    { jobId, offset, limit }: OpLogWindow,
    report: AttemptReport,
  ): Promise<OpLogPage> {
    const pathSegments = [
      ...this.basePath,
      'v1',
      this.projectId,
      'voice-training-manage',
      'user',
      'jobs',
      jobId,
      'op-logs',
    ];
    const query = { offset: String(offset), limit: String(limit) };
    let path: string;
    let sendHeaders: Record<string, string>;
    try {
      path = `${encodePath(pathSegments)}?${new URLSearchParams(query).toString()}`;
      const { Host: _host, ...headers } = signRequest(
        {
          method: 'GET',
          host: this.host,
          pathSegments,
          query,
          headers: { 'Content-Type': 'application/json', 'X-Project-Id': this.projectId },
          sdkDate: formatSdkDate(this.options.now?.() ?? new Date()),
        },
        this.options.credentials,
      );
      // Host is carried by the connection; undici sets it.
      sendHeaders = headers;
    } catch {
      // Only text with no UTF-8 form (a lone surrogate) cannot be percent-encoded.
      throw new UpstreamError('UPSTREAM_BAD_REQUEST', 'The job id cannot be sent: it is not valid Unicode text');
    }

    let status: number | undefined;
    let requestId: string | undefined;
    let retryAfterSeconds: number | undefined;
    let text: string;
    try {
      const response = await this.pool.request({
        method: 'GET',
        path,
        headers: sendHeaders,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.statusCode;
      requestId = firstHeader(response.headers['x-request-id']);
      report.status = status;
      report.upstreamRequestId = requestId;
      retryAfterSeconds = parseRetryAfter(firstHeader(response.headers['retry-after']));
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, { status, requestId }, this.options.timeoutMs);
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

    const parsed = parseOpLogPage(body, offset);
    if (!parsed.ok) throw invalidResponse(parsed.problem, { status, requestId });
    return parsed.page;
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
