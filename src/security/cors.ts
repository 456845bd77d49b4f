// The CORS allowlist (CORS_ORIGINS).
import type { CORSOptions } from 'graphql-yoga';
import { CSRF_HEADERS } from './useCsrfPrevention.js';

/**
 * CORS_ORIGINS set: only those origins. Unset: in production no cross-origin
 * access at all (false); in development yoga's default, which allows any origin.
 */
export function corsOptions(origins: string[], production: boolean): CORSOptions | false | undefined {
  if (origins.length > 0) {
    return {
      origin: origins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'accept', 'authorization', 'x-api-key', 'x-request-id', ...CSRF_HEADERS],
      // A page can read the request id of an answer, to quote it in a report.
      exposedHeaders: ['x-request-id'],
      // Callers authenticate with headers, never cookies.
      credentials: false,
      maxAge: 600,
    };
  }
  return production ? false : undefined;
}

/**
 * Browsers apply no CORS to WebSockets, so the server checks the Origin of an
 * upgrade itself, by the same rule: no Origin (not a browser) or the page's own
 * origin always; otherwise CORS_ORIGINS when set, else any in development and
 * none in production.
 */
export function allowsOrigin(
  origin: string | null,
  host: string | null,
  origins: string[],
  production: boolean,
): boolean {
  if (origin === null) return true;
  if (URL.canParse(origin) && new URL(origin).host === host) return true;
  if (origins.length > 0) return origins.includes(origin);
  return !production;
}
