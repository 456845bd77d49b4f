// CALLER_RATE_LIMIT: requests per second per caller, one second of burst. The
// caller is who authentication found (JWT subject or API key), else the client
// address. The buckets are this process's, or with REDIS_URL the cluster's (see
// cluster/callerBudget.ts), so round-robin over replicas gains a caller nothing.
import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { LocalCallerBudget, type CallerBudget } from '../cluster/callerBudget.js';
import { authenticatedCaller } from './useAuth.js';

export interface RateLimitOptions {
  perSecond: number;
  /** Where the buckets live; in this process, on `now`, when absent. */
  budget?: CallerBudget;
  /** Milliseconds clock of the in-process buckets; replaceable in tests. */
  now?: () => number;
}

function clientAddress(serverContext: unknown): string {
  return (serverContext as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? 'unknown';
}

export function useCallerRateLimit({ perSecond, now, budget = new LocalCallerBudget(perSecond, now) }: RateLimitOptions): Plugin {
  if (perSecond <= 0) return {};
  return {
    async onRequestParse({ request, serverContext }) {
      const caller = authenticatedCaller(request) ?? `address:${clientAddress(serverContext)}`;
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
