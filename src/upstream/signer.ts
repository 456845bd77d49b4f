// SDK-HMAC-SHA256 request signing, byte-for-byte as Huawei Cloud's official SDKs
// sign (see docs/upstream.md). Pure functions: no clock, no I/O.
import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
/** SHA-256 of the empty body of a GET. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface Credentials {
  accessKey: string;
  secretKey: string;
  /** Present for temporary credentials; sent and signed as X-Security-Token. */
  securityToken?: string | undefined;
}

export interface RequestToSign {
  method: string;
  host: string;
  /** Raw, undecoded path segments, e.g. ['v1', projectId, ..., jobId, 'op-logs']. */
  pathSegments: readonly string[];
  query: Readonly<Record<string, string>>;
  /** Headers to sign besides Host and X-Sdk-Date (which the signer adds). */
  headers: Readonly<Record<string, string>>;
  /** YYYYMMDDTHHMMSSZ */
  sdkDate: string;
}

/**
 * RFC 3986 encoding over UTF-8 with only `A-Z a-z 0-9 - _ . ~` left alone. Unlike
 * encodeURIComponent it also encodes `! ' ( ) *`, as the SDKs do.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path as sent on the wire: each segment encoded, no trailing slash. */
export function encodePath(segments: readonly string[]): string {
  return `/${segments.map(percentEncode).join('/')}`;
}

/** The canonical URI always ends with a slash, although the request does not. */
export function canonicalUri(segments: readonly string[]): string {
  return `${encodePath(segments)}/`;
}

export function canonicalQuery(query: Readonly<Record<string, string>>): string {
  return Object.keys(query)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(query[name] ?? '')}`)
    .join('&');
}

/** X-Sdk-Date format: UTC, second precision, no separators. */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function sha256Hex(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Headers that get signed for a request: the caller's plus Host and X-Sdk-Date. */
function headersToSign(request: RequestToSign): Map<string, string> {
  const all = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) all.set(name.toLowerCase(), value.trim());
  all.set('host', request.host);
  all.set('x-sdk-date', request.sdkDate);
  return new Map([...all].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function canonicalRequest(request: RequestToSign): { text: string; signedHeaders: string } {
  const headers = headersToSign(request);
  const signedHeaders = [...headers.keys()].join(';');
  const canonicalHeaders = [...headers].map(([name, value]) => `${name}:${value}\n`).join('');
  const text = [
    request.method.toUpperCase(),
    canonicalUri(request.pathSegments),
    canonicalQuery(request.query),
    canonicalHeaders,
    signedHeaders,
    EMPTY_BODY_SHA256,
  ].join('\n');
  return { text, signedHeaders };
}

export function signature(secretKey: string, sdkDate: string, canonicalRequestText: string): string {
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequestText)}`;
  return createHmac('sha256', secretKey).update(stringToSign).digest('hex');
}

/**
 * Returns every header the request must carry: the caller's, Host, X-Sdk-Date,
 * X-Security-Token (temporary credentials) and Authorization.
 */
export function signRequest(request: RequestToSign, credentials: Credentials): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers };
  if (credentials.securityToken) headers['X-Security-Token'] = credentials.securityToken;
  const withToken = { ...request, headers };
  const { text, signedHeaders } = canonicalRequest(withToken);
  const sig = signature(credentials.secretKey, request.sdkDate, text);
  return {
    ...headers,
    Host: request.host,
    'X-Sdk-Date': request.sdkDate,
    Authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${sig}`,
  };
}
