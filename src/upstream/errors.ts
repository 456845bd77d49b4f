// The only kind of error the upstream client ever rejects with. It is a
// GraphQLError so that yoga shows it unmasked, on the field that asked for it.
import { GraphQLError } from 'graphql';

export type UpstreamErrorCode =
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_NOT_FOUND'
  | 'UPSTREAM_THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_INVALID_RESPONSE';

export interface UpstreamErrorDetails {
  /** HTTP status of the upstream answer, when there was one. */
  status?: number | undefined;
  /** The upstream's `error_code`, e.g. MSS.00000003 or APIGW.0301. */
  errorCode?: string | undefined;
  /** The upstream's `error_msg`. */
  errorMsg?: string | undefined;
  /** The upstream's X-Request-Id header, for support tickets. */
  requestId?: string | undefined;
  /** The upstream's Retry-After, in seconds, when it sent one (429, 503). */
  retryAfterSeconds?: number | undefined;
}

export class UpstreamError extends GraphQLError {
  readonly code: UpstreamErrorCode;
  readonly details: UpstreamErrorDetails;

  constructor(code: UpstreamErrorCode, message: string, details: UpstreamErrorDetails = {}) {
    const extensions: Record<string, unknown> = { code };
    for (const [key, value] of Object.entries(details)) if (value !== undefined) extensions[key] = value;
    super(message, { extensions });
    this.name = 'UpstreamError';
    this.code = code;
    this.details = details;
  }
}

function codeForStatus(status: number): UpstreamErrorCode {
  if (status === 401) return 'UPSTREAM_UNAUTHORIZED';
  if (status === 403) return 'UPSTREAM_FORBIDDEN';
  if (status === 404) return 'UPSTREAM_NOT_FOUND';
  if (status === 429) return 'UPSTREAM_THROTTLED';
  // A request timeout says the upstream was too slow, not that we asked wrongly.
  if (status === 408) return 'UPSTREAM_UNAVAILABLE';
  if (status >= 400 && status < 500) return 'UPSTREAM_BAD_REQUEST';
  // 5xx, and anything else that is not a 2xx answer, means the upstream could not serve us.
  return 'UPSTREAM_UNAVAILABLE';
}

const MESSAGES: Record<UpstreamErrorCode, string> = {
  UPSTREAM_BAD_REQUEST: 'MetaStudio rejected the request',
  UPSTREAM_UNAUTHORIZED: 'MetaStudio did not accept the credentials (signature or AK)',
  UPSTREAM_FORBIDDEN: 'MetaStudio denied access to this resource',
  UPSTREAM_NOT_FOUND: 'MetaStudio does not know this training job',
  UPSTREAM_THROTTLED: 'MetaStudio is throttling requests for this tenant',
  UPSTREAM_UNAVAILABLE: 'MetaStudio is unavailable',
  UPSTREAM_INVALID_RESPONSE: 'MetaStudio answered with an unexpected body',
};

/** Enough for any real error_msg; a huge one would only bloat every response. */
const MAX_ERROR_MSG_LENGTH = 500;

export function upstreamHttpError(status: number, details: Omit<UpstreamErrorDetails, 'status'>): UpstreamError {
  const code = codeForStatus(status);
  const errorMsg =
    details.errorMsg && details.errorMsg.length > MAX_ERROR_MSG_LENGTH
      ? `${details.errorMsg.slice(0, MAX_ERROR_MSG_LENGTH)}…`
      : details.errorMsg;
  const reason = errorMsg ? `: ${errorMsg}` : '';
  return new UpstreamError(code, `${MESSAGES[code]} (HTTP ${status}${reason})`, { ...details, errorMsg, status });
}

export function invalidResponse(problem: string, details: UpstreamErrorDetails): UpstreamError {
  return new UpstreamError('UPSTREAM_INVALID_RESPONSE', `${MESSAGES.UPSTREAM_INVALID_RESPONSE}: ${problem}`, details);
}

export function unavailable(problem: string, details: UpstreamErrorDetails = {}): UpstreamError {
  return new UpstreamError('UPSTREAM_UNAVAILABLE', `${MESSAGES.UPSTREAM_UNAVAILABLE}: ${problem}`, details);
}

/** Our own rate limit refused the call before it was made (no `status`: MetaStudio never saw it). */
export function throttledLocally(problem: string): UpstreamError {
  return new UpstreamError('UPSTREAM_THROTTLED', `Too many calls to MetaStudio: ${problem}`);
}

/**
 * A job MetaStudio does not know, as a scoped caller sees it: only what this
 * layer can say for another user's job too (no upstream request id or message).
 */
export function unknownJob(): UpstreamError {
  return new UpstreamError('UPSTREAM_NOT_FOUND', MESSAGES.UPSTREAM_NOT_FOUND, { status: 404 });
}
