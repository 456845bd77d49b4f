// The signed MetaStudio client: one keep-alive undici pool for the upstream
// origin, a cap on concurrent calls, a timeout on every call. Every call resolves
// to a validated page or rejects with an UpstreamError, nothing else.
import pLimit, { type LimitFunction } from 'p-limit';
import { Pool, errors as undiciErrors } from 'undici';
import { invalidResponse, unavailable, upstreamHttpError, UpstreamError } from './errors.js';
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
  listOperationLogs(window: OpLogWindow): Promise<OpLogPage> {
    return this.limit(() => this.send(window));
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async send({ jobId, offset, limit }: OpLogWindow): Promise<OpLogPage> {
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
    const headers = signRequest(
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
    // Host is carried by the connection; undici refuses it as a header.
    const { Host: _host, ...sendHeaders } = headers;

    let status: number;
    let requestId: string | undefined;
    let text: string;
    try {
      const response = await this.pool.request({
        method: 'GET',
        path: `${encodePath(pathSegments)}?${new URLSearchParams(query).toString()}`,
        headers: sendHeaders,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.statusCode;
      const header = response.headers['x-request-id'];
      requestId = Array.isArray(header) ? header[0] : header;
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, requestId, this.options.timeoutMs);
    }

    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      if (status >= 200 && status < 300) {
        throw invalidResponse('the body is not JSON', { status, requestId });
      }
      throw upstreamHttpError(status, { requestId });
    }

    if (status < 200 || status >= 300) {
      const { error_code, error_msg } = (body ?? {}) as Record<string, unknown>;
      throw upstreamHttpError(status, {
        requestId,
        errorCode: typeof error_code === 'string' ? error_code : undefined,
        errorMsg: typeof error_msg === 'string' ? error_msg : undefined,
      });
    }

    const parsed = parseOpLogPage(body, offset);
    if (!parsed.ok) throw invalidResponse(parsed.problem, { status, requestId });
    return parsed.page;
  }
}

function transportError(error: unknown, requestId: string | undefined, timeoutMs: number): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof undiciErrors.ResponseExceededMaxSizeError) {
    return invalidResponse(`the body exceeds ${MAX_RESPONSE_BYTES} bytes`, { requestId });
  }
  const name = (error as { name?: unknown } | null)?.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return unavailable(`no answer within ${timeoutMs} ms`, { requestId });
  }
  // Connection refused or reset, DNS failure, socket closed mid-answer.
  return unavailable(`network error (${typeof code === 'string' ? code : 'connection failed'})`, { requestId });
}
