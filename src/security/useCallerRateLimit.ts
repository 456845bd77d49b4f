// CALLER_RATE_LIMIT: requests per second per caller, a token bucket each. The
// caller is who authentication found (JWT subject or API key), else the client
// address. Buckets live in an LRU, so memory stays bounded however many callers
// come; an evicted caller simply starts again with a full bucket.
import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { TokenBucket } from '../upstream/tokenBucket.js';
import { authenticatedCaller } from './useAuth.js';

const MAX_TRACKED_CALLERS = 10_000;

export interface RateLimitOptions {
  perSecond: number;
  /** Milliseconds clock; replaceable in tests. */
  now?: () => number;
}

function clientAddress(serverContext: unknown): string {
  return (serverContext as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? 'unknown';
}

export function useCallerRateLimit({ perSecond, now = () => performance.now() }: RateLimitOptions): Plugin {
  if (perSecond <= 0) return {};
  const buckets = new LRUCache<string, TokenBucket>({ max: MAX_TRACKED_CALLERS });
  return {
    onRequestParse({ request, serverContext }) {
      const caller = authenticatedCaller(request) ?? `address:${clientAddress(serverContext)}`;
      let bucket = buckets.get(caller);
      if (!bucket) {
        // A full bucket allows a one-second burst.
        bucket = new TokenBucket({ ratePerSecond: perSecond, burst: perSecond, now });
        buckets.set(caller, bucket);
      }
      const waitMs = bucket.tryTake();
      if (waitMs > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
        throw createGraphQLError(`Too many requests: CALLER_RATE_LIMIT allows ${perSecond} per second per caller`, {
          extensions: {
            code: 'RATE_LIMITED',
            limit: 'CALLER_RATE_LIMIT',
            http: { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
          },
        });
      }
    },
  };
}
