// The path and signed headers of op-logs requests to one target. Everything that
// does not change from request to request (the path up to the job id, the
// canonical headers but the date, the signed-header list, the Authorization
// prefix) is put together once; a request adds its job id, window and date.
// The result is byte for byte what signer.ts's general signRequest gives
// (test/upstream/opLogsSigner.test.ts), which the SDK vectors check.
import type { OpLogWindow } from './client.js';
import {
  EMPTY_BODY_SHA256,
  encodePath,
  formatSdkDate,
  percentEncode,
  SIGNING_ALGORITHM,
  signature,
  type Credentials,
} from './signer.js';

export interface OpLogsTarget {
  /** host[:port] of the API, signed as the Host header. */
  host: string;
  /** Path segments before /v1, when the endpoint has a base path. */
  basePath: readonly string[];
  projectId: string;
  credentials: Credentials;
}

export interface SignedOpLogsRequest {
  path: string;
  headers: Record<string, string>;
}

/**
 * Signs op-logs requests to `target`. The job id is one percent-encoded path
 * segment; Host is left out because the connection carries it. Signing throws
 * only for text with no UTF-8 form (a lone surrogate).
 */
export function opLogsSigner(target: OpLogsTarget): (window: OpLogWindow, date: Date) => SignedOpLogsRequest {
  const { accessKey, secretKey, securityToken } = target.credentials;
  const jobsPath = encodePath([...target.basePath, 'v1', target.projectId, 'voice-training-manage', 'user', 'jobs']);
  // Canonical headers, sorted by name, values trimmed; x-sdk-date goes between these two parts.
  const headersBeforeDate = `content-type:application/json\nhost:${target.host}\nx-project-id:${target.projectId.trim()}\n`;
  const headersAfterDate = securityToken ? `x-security-token:${securityToken.trim()}\n` : '';
  const signedHeaders = `content-type;host;x-project-id;x-sdk-date${securityToken ? ';x-security-token' : ''}`;
  const authorization = `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=`;
  // X-Sdk-Date has second precision: one formatting per second is enough.
  let second = Number.NaN;
  let sdkDate = '';

  return ({ jobId, offset, limit }, date) => {
    const now = Math.floor(date.getTime() / 1000);
    if (now !== second) {
      second = now;
      sdkDate = formatSdkDate(date);
    }
    const path = `${jobsPath}/${percentEncode(jobId)}/op-logs`;
    const canonicalRequest = `GET\n${path}/\nlimit=${limit}&offset=${offset}\n${headersBeforeDate}x-sdk-date:${sdkDate}\n${headersAfterDate}\n${signedHeaders}\n${EMPTY_BODY_SHA256}`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': target.projectId };
    if (securityToken) headers['X-Security-Token'] = securityToken;
    headers['X-Sdk-Date'] = sdkDate;
    headers.Authorization = authorization + signature(secretKey, sdkDate, canonicalRequest);
    return { path: `${path}?offset=${offset}&limit=${limit}`, headers };
  };
}
