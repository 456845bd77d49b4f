// CALLER_RATE_LIMIT: requests per second per caller (security/callerOf.ts), a
// token bucket each. Buckets live in an LRU, so memory stays bounded however many callers
// come; an evicted caller simply starts again with a full bucket.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { TokenBucket } from '../upstream/tokenBucket.js';
import { callerOf } from './callerOf.js';

const MAX_TRACKED_CALLERS = 10_000;

export interface RateLimitOptions {
  perSecond: number;
  /** Milliseconds clock; replaceable in tests. */
  now?: () => number;
}

export function useCallerRateLimit({ perSecond, now = () => performance.now() }: RateLimitOptions): Plugin {
  if (perSecond <= 0) return {};
  const buckets = new LRUCache<string, TokenBucket>({ max: MAX_TRACKED_CALLERS });
  return {
    onRequestParse({ request, serverContext }) {
      const caller = callerOf(request, serverContext);
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
