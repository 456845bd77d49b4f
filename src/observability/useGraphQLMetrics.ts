// The GraphQL metric families that @graphql-yoga/plugin-prometheus registered
// with our settings (same names, help texts, labels, buckets and counting rules;
// its summary, deprecated-field counter and per-resolver histogram stay off),
// filled at a fraction of its cost: its generic machinery (label functions,
// filters and closures per phase, a fresh label object per observation) took
// about 14 % of the CPU of a single-job query. Here each request makes its label
// object once, when its document is parsed, and every family observes with it.
// One difference: graphql_envelop_phase_context times the context building; the
// plugin's always read 0 (it stopped its clock before the building began).
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface GraphQLMetricsOptions {
  /** Serve the registry at /metrics on the app. */
  serve: boolean;
  /** Label with the operation's name (only when persisted operations bound the names). */
  operationNames: boolean;
}

/** operationType, and operationName when enabled; undefined where the library had none (prom-client prints them so). */
type Labels = Partial<Record<string, string | number>>;

interface RequestRecord {
  /** Date.now() when the request arrived, for graphql_yoga_http_duration. */
  start: number;
  /** The operation's labels, once its document has parsed; null when it did not. */
  labels?: Labels | null;
  /** graphql_yoga_http_duration's view of the operation. */
  http?: { operationName: string | undefined; operationType: string | undefined };
}

const seconds = (since: number) => (Date.now() - since) / 1000;
const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

export function useGraphQLMetrics(registry: Registry, { serve, operationNames }: GraphQLMetricsOptions): Plugin {
  const registers = [registry];
  const graphqlLabels = operationNames ? ['operationType', 'operationName'] : ['operationType'];
  const http = new Histogram({
    name: 'graphql_yoga_http_duration',
    help: 'Time spent on HTTP connection',
    labelNames: [...(operationNames ? ['operationName'] : []), 'operationType', 'method', 'statusCode'],
    registers,
  });
  const histogram = (name: string, help: string) => new Histogram({ name, help, labelNames: graphqlLabels, registers });
  const parse = histogram('graphql_envelop_phase_parse', 'Time spent on running GraphQL "parse" function');
  const validate = histogram('graphql_envelop_phase_validate', 'Time spent on running GraphQL "validate" function');
  const context = histogram('graphql_envelop_phase_context', 'Time spent on building the GraphQL context');
  const execute = histogram('graphql_envelop_phase_execute', 'Time spent on running the GraphQL "execute" function');
  const subscribe = histogram(
    'graphql_envelop_phase_subscribe',
    'Time spent on running the GraphQL "subscribe" function',
  );
  const requestDuration = histogram(
    'graphql_envelop_request_duration',
    'Time spent on running the GraphQL operation from parse to execute',
  );
  const errors = new Counter({
    name: 'graphql_envelop_error_result',
    help: 'Counts the amount of errors reported from all phases',
    labelNames: [...graphqlLabels, 'phase'],
    registers,
  });
  const requests = new Counter({
    name: 'graphql_envelop_request',
    help: 'Counts the amount of GraphQL requests executed through Envelop',
    labelNames: graphqlLabels,
    registers,
  });
  const schemaChanges = new Counter({
    name: 'graphql_envelop_schema_change',
    help: 'Counts the amount of schema changes',
    labelNames: [],
    registers,
  });
  const countedSchemas = new WeakSet<object>();

  const records = new WeakMap<Request, RequestRecord>();
  /** The labels of a document, as the library names them: after its first definition. */
  const labelsOf = (document: DocumentNode, operationName: string | undefined): Labels => {
    const first = document.definitions[0] as { operation?: string; name?: { value: string } } | undefined;
    const type = first?.operation;
    return operationNames
      ? { operationName: operationName || first?.name?.value || 'Anonymous', operationType: type }
      : { operationType: type };
  };
  const countError = (labels: Labels | null | undefined, phase: string | undefined) =>
    errors.inc(
      operationNames
        ? { operationName: labels?.operationName, operationType: labels?.operationType, phase }
        : { operationType: labels?.operationType, phase },
    );
  const countResultErrors = (labels: Labels, result: ExecutionResult) => {
    for (const _ of result.errors ?? []) countError(labels, 'execute');
  };
  /** The end of an operation: its phase, its duration and one more request. */
  const finish = (phase: Histogram, labels: Labels, started: number) => {
    const elapsed = seconds(started);
    phase.observe(labels, elapsed);
    requestDuration.observe(labels, elapsed);
    requests.inc(labels);
  };
  const labelsFor = (request: Request | undefined) => (request ? records.get(request)?.labels : undefined);

  return {
    onSchemaChange({ schema }) {
      if (countedSchemas.has(schema)) return;
      countedSchemas.add(schema);
      schemaChanges.inc();
    },
    onPluginInit({ registerContextErrorHandler }) {
      registerContextErrorHandler(({ context: errorContext }) => {
        countError(labelsFor((errorContext as { request?: Request }).request), 'context');
      });
    },
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (serve && url.pathname === '/metrics') {
        return registry
          .metrics()
          .then((text) =>
            endResponse(new fetchAPI.Response(text, { headers: { 'Content-Type': registry.contentType } })),
          );
      }
      records.set(request, { start: Date.now() });
      return undefined;
    },
    onParse({ context: yogaContext }) {
      const started = Date.now();
      const { request, params } = yogaContext as { request?: Request; params?: { operationName?: string } };
      const record = request ? records.get(request) : undefined;
      return ({ result }) => {
        if (result instanceof Error || result === null) {
          if (record) record.labels = null;
          const failed: Labels = operationNames
            ? { operationName: undefined, operationType: undefined }
            : { operationType: undefined };
          parse.observe(failed, seconds(started));
          countError(failed, 'parse');
          return;
        }
        const labels = labelsOf(result, params?.operationName);
        parse.observe(labels, seconds(started));
        if (!record) return;
        record.labels = labels;
        const operation = getOperationAST(result, params?.operationName);
        record.http = { operationName: operation?.name?.value, operationType: operation?.operation };
      };
    },
    onValidate({ context: yogaContext }) {
      const labels = labelsFor((yogaContext as { request?: Request }).request);
      if (!labels) return undefined;
      const started = Date.now();
      return ({ valid }) => {
        validate.observe(labels, seconds(started));
        if (!valid) countError(labels, 'validate');
      };
    },
    onContextBuilding({ context: yogaContext }) {
      const labels = labelsFor((yogaContext as { request?: Request }).request);
      if (!labels) return undefined;
      const started = Date.now();
      return () => context.observe(labels, seconds(started));
    },
    onExecute({ args }) {
      const labels = labelsFor((args.contextValue as { request?: Request }).request);
      if (!labels) return undefined;
      const started = Date.now();
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) {
            return {
              onNext: ({ result: next }) => countResultErrors(labels, next),
              onEnd: () => finish(execute, labels, started),
            };
          }
          countResultErrors(labels, result);
          finish(execute, labels, started);
          return undefined;
        },
      };
    },
    onSubscribe({ args }) {
      const labels = labelsFor((args.contextValue as { request?: Request }).request);
      if (!labels) return undefined;
      const started = Date.now();
      return {
        onSubscribeResult({ result }) {
          if (isAsyncIterable(result)) {
            return {
              onNext: ({ result: next }) => countResultErrors(labels, next),
              onEnd: () => finish(subscribe, labels, started),
            };
          }
          countResultErrors(labels, result);
          finish(subscribe, labels, started);
          return undefined;
        },
        onSubscribeError: () => countError(labels, undefined),
      };
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record?.http) return;
      const operationType = record.http.operationType || 'unknown';
      const labels = operationNames
        ? {
            method: request.method,
            statusCode: response.status,
            operationType,
            operationName: record.http.operationName || 'Anonymous',
          }
        : { method: request.method, statusCode: response.status, operationType };
      http.observe(labels, seconds(record.start));
    },
  };
}
