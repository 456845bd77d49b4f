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
