// OpenTelemetry spans for GraphQL operations and upstream calls, exported over
// OTLP/HTTP. main imports this module only when OTEL_EXPORTER_OTLP_ENDPOINT is
// set, so without it no OpenTelemetry code is even loaded. The exporter takes
// its endpoint, headers and timeouts from the standard OTEL_EXPORTER_OTLP_*
// variables; OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES name the service.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { upstreamEvents } from '../upstream/events.js';

const SERVICE_NAME = 'metastudio-oplogs-graphql';

export interface Tracing {
  /** Continues the caller's trace, and spans each GraphQL operation. */
  plugin: Plugin;
  /** Stops listening and flushes the spans not yet exported. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Where finished spans go; batched to the OTLP/HTTP exporter by default. */
  spanProcessor?: SpanProcessor;
  /** Longest wait for the last spans at shutdown. */
  flushTimeoutMs?: number;
}

export function startTracing({
  spanProcessor = new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
  flushTimeoutMs = 2_000,
}: TracingOptions = {}): Tracing {
  const provider = new TracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': SERVICE_NAME }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [spanProcessor],
  });
  // Spans follow the request across awaits, into DataLoader batches and the
  // upstream events published there.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer(SERVICE_NAME);

  /** A span for something that has just ended and took `durationMs`, under the current request's span. */
  const recordSpan = (
    name: string,
    kind: SpanKind,
    durationMs: number,
    attributes: Attributes,
    error: string | undefined,
  ) => {
    const end = Date.now();
    const span = tracer.startSpan(name, { kind, startTime: end - durationMs, attributes });
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end(end);
  };
  const unsubscribe = [
    upstreamEvents.attempt.subscribe((e) =>
      recordSpan(
        `GET metastudio ${e.resource}`,
        SpanKind.CLIENT,
        e.durationMs,
        {
          'http.request.method': 'GET',
          'http.response.status_code': e.status,
          'metastudio.job_id': e.jobId,
          'metastudio.attempt': e.attempt,
          'metastudio.request_id': e.upstreamRequestId,
          'error.type': e.errorCode,
        },
        e.errorCode,
      ),
    ),
    upstreamEvents.call.subscribe((e) =>
      recordSpan(
        `metastudio ${e.operation}`,
        SpanKind.INTERNAL,
        e.durationMs,
        {
          'metastudio.job_id': e.jobId,
          'metastudio.offset': e.offset,
          'metastudio.limit': e.limit,
          'metastudio.attempts': e.attempts,
          'metastudio.outcome': e.outcome,
        },
        e.outcome === 'ok' ? undefined : e.outcome,
      ),
    ),
  ];

  const plugin: Plugin = {
    instrumentation: {
      request({ request }, wrapped) {
        // A federation gateway sends traceparent: our spans join its trace.
        const parent = propagation.extract(ROOT_CONTEXT, request.headers, {
          keys: (headers) => [...headers.keys()],
          get: (headers, key) => headers.get(key) ?? undefined,
        });
        return context.with(parent, wrapped);
      },
      operation(_payload, wrapped) {
        return tracer.startActiveSpan('graphql.operation', { kind: SpanKind.SERVER }, async (span: Span) => {
          try {
            await wrapped();
          } finally {
            span.end();
          }
        });
      },
    },
    onExecute({ args }) {
      const span = trace.getActiveSpan();
      const operation = getOperationAST(args.document, args.operationName);
      if (!span || !operation) return;
      const name = operation.name?.value;
      span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
      span.setAttributes({
        'graphql.operation.type': operation.operation,
        ...(name ? { 'graphql.operation.name': name } : {}),
      });
    },
    onExecutionResult({ result }) {
      const span = trace.getActiveSpan();
      const errors = Array.isArray(result) ? [] : ((result as ExecutionResult).errors ?? []);
      if (!span || errors.length === 0) return;
      const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')))].sort();
      span.setAttribute('graphql.error.codes', codes);
      span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
    },
  };

  return {
    plugin,
    async shutdown() {
      for (const off of unsubscribe) off();
      // Spans are best effort: an unreachable collector (the exporter retries for
      // up to 10 s) must neither hold up the shutdown nor fail it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        provider.shutdown().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, flushTimeoutMs))),
      ]);
      clearTimeout(timer);
    },
  };
}
