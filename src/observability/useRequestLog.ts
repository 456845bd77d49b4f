// One JSON log line per HTTP request, with its request id, its upstream calls
// and MetaStudio's own request ids; a subscription's line is written when it
// ends, with the events it sent. Also a line for each upstream attempt
// (debug). Upstream events, and a subscription's end, are attributed to the
// request that caused them by their `requester`, which the app sets to the
// HTTP request (in its loaders and its context).
import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { liveEvents } from '../live/liveEvents.js';
import { scopeEvents, type ScopeRefusalReason } from '../scope/scopeEvents.js';
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
  /** A subscription's stream: the results sent so far, and whether it ended. */
  stream?: { events: number; ended: boolean };
  /** Refused for its app user id (scoping on): why, and the id's SHA-256 hex when it had one. */
  scopeRefusal?: { reason: ScopeRefusalReason; appUserIdHash?: string | undefined; jobId?: string | undefined };
  /** Read every job through the support scope, granted by the token or by the API key's `*`. */
  allJobsScope?: 'token' | 'apikey';
  /** The response's status, once it is sent; a stream's line waits for the stream's end. */
  status?: number;
}

/** Enough to find any request at MetaStudio's support; a 100-job dashboard would otherwise make a long line. */
const MAX_UPSTREAM_IDS = 20;

/** Paths that are probed every few seconds; their lines go out at debug. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

function noteErrorCodes(record: RequestRecord, result: unknown): void {
  for (const error of (result as ExecutionResult).errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code === 'string') record.errorCodes.add(code);
  }
}

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
    // A subscription's share of its job's polls.
    liveEvents.subscriptionEnd.subscribe(({ pollCalls, requester }) => {
      const record = recordOf(requester);
      if (record) record.upstreamCalls += pollCalls;
    }),
    scopeEvents.refusal.subscribe(({ requester, reason, appUserIdHash, jobId }) => {
      const record = recordOf(requester);
      if (record) record.scopeRefusal = { reason, appUserIdHash, jobId };
    }),
    scopeEvents.allJobs.subscribe(({ requester, via }) => {
      const record = recordOf(requester);
      if (record) record.allJobsScope = via;
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
          operation: attempt.operation,
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

  /** The request's line, once its response is out and, for a subscription, once its stream has ended. */
  const write = (record: RequestRecord, request: Request) => {
    if (record.status === undefined || (record.stream && !record.stream.ended)) return;
    const path = new URL(request.url).pathname;
    logger?.[PROBES.has(path) ? 'debug' : 'info'](
      {
        requestId: record.requestId,
        method: request.method,
        path,
        status: record.status,
        operationName: record.operationName,
        durationMs: Math.round(performance.now() - record.started),
        upstreamCalls: record.upstreamCalls,
        cacheHits: record.cacheHits,
        upstreamRequestIds: record.upstreamRequestIds,
        errorCodes: [...record.errorCodes].sort(),
        ...(record.stream ? { events: record.stream.events } : {}),
        ...(record.scopeRefusal ? { scopeRefusal: record.scopeRefusal } : {}),
        ...(record.allJobsScope ? { allJobsScope: record.allJobsScope } : {}),
      },
      'request',
    );
  };

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
    onSubscribe({ args }) {
      const record = records.get(args.contextValue.request);
      if (!record) return;
      record.operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? null;
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          const stream: NonNullable<RequestRecord['stream']> = { events: 0, ended: false };
          record.stream = stream;
          return {
            onNext({ result: event }) {
              stream.events++;
              noteErrorCodes(record, event);
            },
            onEnd() {
              stream.ended = true;
              write(record, args.contextValue.request);
            },
          };
        },
      };
    },
    onResultProcess({ request, result }) {
      const record = records.get(request);
      if (record) for (const one of Array.isArray(result) ? result : [result]) noteErrorCodes(record, one);
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record) return;
      record.status = response.status;
      write(record, request);
    },
    onDispose() {
      for (const off of unsubscribe) off();
    },
  };
}
