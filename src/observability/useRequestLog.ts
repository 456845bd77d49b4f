// One JSON log line per HTTP request, with its request id, its upstream calls
// and MetaStudio's own request ids; also a line for each upstream attempt
// (debug). Upstream events are attributed to the request that caused them
// through AsyncLocalStorage: diagnostics-channel subscribers run synchronously in
// the publisher's async context, and DataLoader dispatches in the context of the
// request that triggered the batch.
import { AsyncLocalStorage } from 'node:async_hooks';
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
  const current = new AsyncLocalStorage<RequestRecord>();
  const records = new WeakMap<Request, RequestRecord>();
  const unsubscribe = [
    upstreamEvents.call.subscribe(({ attempts }) => {
      const record = current.getStore();
      // Calls that failed fast (breaker open, rate-limit refusal) never reached MetaStudio.
      if (record && attempts > 0) record.upstreamCalls++;
    }),
    upstreamEvents.cache.subscribe(({ outcome }) => {
      const record = current.getStore();
      // A shared call saved an upstream request just as a hit did.
      if (record && outcome !== 'miss') record.cacheHits++;
    }),
    upstreamEvents.attempt.subscribe((attempt) => {
      const record = current.getStore();
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
      request({ request }, wrapped) {
        const record: RequestRecord = {
          requestId: requestIdOf(request),
          started: performance.now(),
          operationName: null,
          upstreamCalls: 0,
          cacheHits: 0,
          upstreamRequestIds: [],
          errorCodes: new Set(),
        };
        records.set(request, record);
        return current.run(record, wrapped);
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
