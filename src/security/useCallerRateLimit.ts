// CALLER_RATE_LIMIT: requests per second per caller (security/callerOf.ts), one
// second of burst. The buckets are this process's, or with REDIS_URL the cluster's (see
// cluster/callerBudget.ts), so round-robin over replicas gains a caller nothing.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LocalCallerBudget, type CallerBudget } from '../cluster/callerBudget.js';
import { callerOf } from './callerOf.js';

export interface RateLimitOptions {
  perSecond: number;
  /** Where the buckets live; in this process, on `now`, when absent. */
  budget?: CallerBudget;
  /** Milliseconds clock of the in-process buckets; replaceable in tests. */
  now?: () => number;
}

export function useCallerRateLimit({
  perSecond,
  now,
  budget = new LocalCallerBudget(perSecond, now),
}: RateLimitOptions): Plugin {
  if (perSecond <= 0) return {};
  return {
    async onRequestParse({ request, serverContext }) {
      const caller = callerOf(request, serverContext);
      const waitMs = await budget.tryTake(caller);
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
