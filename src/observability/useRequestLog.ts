// One JSON log line per HTTP request, with its request id, its upstream calls
// and MetaStudio's own request ids; also a line for each upstream attempt
// (debug). Upstream events are attributed to the request that caused them by
// their `requester`, which the app's loaders set to the HTTP request.
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { upstreamEvents } from '../upstream/events.js';
import { requestIdOf } from './useRequestId.js';

interface RequestRecord {
  requestId: string;
  started: number;
  operationName: string | null;
  upstreamCalls: number;
  cacheHits: number;
  /** MetaStudio's X-Request-Id of each attempt, for support tickets (the first MAX_UPSTREAM_IDS). */
  upstreamRequestIds: string[];
  errorCodes: Set<string>;
}

/** Enough to find any request at MetaStudio's support; a 100-job dashboard would otherwise make a long line. */
const MAX_UPSTREAM_IDS = 20;

/** Paths that are probed every few seconds; their lines go out at debug. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export function useRequestLog(logger?: Logger): Plugin {
  const records = new WeakMap<object, RequestRecord>();
  const recordOf = (requester: object | undefined) => (requester ? records.get(requester) : undefined);
  const unsubscribe = [
    upstreamEvents.call.subscribe(({ attempts, requester }) => {
      const record = recordOf(requester);
      // Calls that failed fast (breaker open, rate-limit refusal) never reached MetaStudio.
      if (record && attempts > 0) record.upstreamCalls++;
    }),
    upstreamEvents.cache.subscribe(({ outcome, requester }) => {
      const record = recordOf(requester);
      // A shared call saved an upstream request just as a hit did.
      if (record && outcome !== 'miss') record.cacheHits++;
    }),
    upstreamEvents.attempt.subscribe((attempt) => {
      const record = recordOf(attempt.requester);
      if (record && attempt.upstreamRequestId && record.upstreamRequestIds.length < MAX_UPSTREAM_IDS) {
        record.upstreamRequestIds.push(attempt.upstreamRequestId);
      }
      if (!logger?.isLevelEnabled('debug')) return;
      logger.debug(
        {
          requestId: record?.requestId,
          upstreamRequestId: attempt.upstreamRequestId,
          jobId: attempt.jobId,
          attempt: attempt.attempt,
          status: attempt.status,
          errorCode: attempt.errorCode,
          durationMs: Math.round(attempt.durationMs),
        },
        'upstream attempt',
      );
    }),
  ];

  return {
    instrumentation: {
      // Around the whole request, so that yoga's own answers (/healthz) are logged too.
      request({ request }, wrapped) {
        records.set(request, {
          requestId: requestIdOf(request),
          started: performance.now(),
          operationName: null,
          upstreamCalls: 0,
          cacheHits: 0,
          upstreamRequestIds: [],
          errorCodes: new Set(),
        });
        return wrapped();
      },
    },
    onExecute({ args }) {
      const record = records.get(args.contextValue.request);
      if (record) record.operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
    },
    onResultProcess({ request, result }) {
      const record = records.get(request);
      if (!record) return;
      for (const one of Array.isArray(result) ? result : [result]) {
        for (const error of (one as ExecutionResult).errors ?? []) {
          const code = error.extensions?.code;
          if (typeof code === 'string') record.errorCodes.add(code);
        }
      }
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record) return;
      const path = new URL(request.url).pathname;
      logger?.[PROBES.has(path) ? 'debug' : 'info'](
        {
          requestId: record.requestId,
          method: request.method,
          path,
          status: response.status,
          operationName: record.operationName,
          durationMs: Math.round(performance.now() - record.started),
          upstreamCalls: record.upstreamCalls,
          cacheHits: record.cacheHits,
          upstreamRequestIds: record.upstreamRequestIds,
          errorCodes: [...record.errorCodes].sort(),
        },
        'request',
      );
    },
    onDispose() {
      for (const off of unsubscribe) off();
    },
  };
}
