// The path and signed headers of requests to one target. Everything that does
// not change from request to request (the jobs path, the canonical headers but
// the date and the app user, the signed-header lists, the Authorization
// prefixes) is put together once; a request adds its path, query, app user and
// date. The result is byte for byte what signer.ts's general signRequest gives
// (test/upstream/requestSigner.test.ts), which the SDK vectors check.
import type { RequestParts } from './operation.js';
import {
  EMPTY_BODY_SHA256,
  encodePath,
  formatSdkDate,
  SIGNING_ALGORITHM,
  signature,
  type Credentials,
} from './signer.js';

export interface SigningTarget {
  /** host[:port] of the API, signed as the Host header. */
  host: string;
  /** Path segments before /v1, when the endpoint has a base path. */
  basePath: readonly string[];
  projectId: string;
  credentials: Credentials;
}

export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
}

/** The jobs path every voice-training read starts from; an operation's path follows it. */
export function jobsPath(basePath: readonly string[], projectId: string): string {
  return encodePath([...basePath, 'v1', projectId, 'voice-training-manage', 'user', 'jobs']);
}

/** What an X-App-UserId may be: visible ASCII, no spaces (MetaStudio: "no Chinese characters"). */
export const APP_USER_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * Signs requests to `target`. Host is left out of the headers because the
 * connection carries it. Percent-encoding happens in the operation's
 * `request`, which throws (URIError) only for text with no UTF-8 form; an app
 * user id that APP_USER_ID refuses throws a RangeError.
 */
export function requestSigner(target: SigningTarget): (parts: RequestParts, date: Date) => SignedRequest {
  const { accessKey, secretKey, securityToken } = target.credentials;
  const base = jobsPath(target.basePath, target.projectId);
  // Canonical headers, sorted by name, values trimmed: x-app-userid goes after host, x-sdk-date after x-project-id.
  const beforeUser = `content-type:application/json\nhost:${target.host}\n`;
  const projectLine = `x-project-id:${target.projectId.trim()}\n`;
  const afterDate = securityToken ? `x-security-token:${securityToken.trim()}\n` : '';
  const token = securityToken ? ';x-security-token' : '';
  const signedHeaders = `content-type;host;x-project-id;x-sdk-date${token}`;
  const signedWithUser = `content-type;host;x-app-userid;x-project-id;x-sdk-date${token}`;
  const authorization = `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedHeaders}, Signature=`;
  const authorizationWithUser = `${SIGNING_ALGORITHM} Access=${accessKey}, SignedHeaders=${signedWithUser}, Signature=`;
  // X-Sdk-Date has second precision: one formatting per second is enough.
  let second = Number.NaN;
  let sdkDate = '';

  return ({ path: suffix, query, wireQuery = query, appUserId }, date) => {
    const now = Math.floor(date.getTime() / 1000);
    if (now !== second) {
      second = now;
      sdkDate = formatSdkDate(date);
    }
    if (appUserId !== undefined && !APP_USER_ID.test(appUserId)) {
      throw new RangeError('the app user id must be 1 to 64 visible ASCII characters');
    }
    const path = base + suffix;
    const user = appUserId === undefined ? '' : `x-app-userid:${appUserId.trim()}\n`;
    const canonicalRequest = `GET\n${path}/\n${query}\n${beforeUser}${user}${projectLine}x-sdk-date:${sdkDate}\n${afterDate}\n${appUserId === undefined ? signedHeaders : signedWithUser}\n${EMPTY_BODY_SHA256}`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': target.projectId };
    if (appUserId !== undefined) headers['X-App-UserId'] = appUserId;
    if (securityToken) headers['X-Security-Token'] = securityToken;
    headers['X-Sdk-Date'] = sdkDate;
    headers.Authorization =
      (appUserId === undefined ? authorization : authorizationWithUser) +
      signature(secretKey, sdkDate, canonicalRequest);
    return { path: wireQuery === '' ? path : `${path}?${wireQuery}`, headers };
  };
}
