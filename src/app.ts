// The HTTP face: graphql-yoga at /graphql (GraphQL over HTTP, GraphiQL with
// bundled assets), /healthz, /readyz, /metrics when asked, and nothing else.
// It does not listen: main.ts serves it on node:http.
import type { GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { IN_PROCESS, type ClusterState } from './cluster/clusterState.js';
import { EXAMPLES_DOCUMENT } from './graphiql/examples.js';
import { LiveJobs } from './live/liveJobs.js';
import { useEndUnservedSubscriptions } from './live/useEndUnservedSubscriptions.js';
import { createLoaders } from './loaders/createLoaders.js';
import { logBreakerTransitions } from './observability/logBreakerTransitions.js';
import { logForeignListedJobs } from './observability/logForeignListedJobs.js';
import type { Metrics } from './observability/metrics.js';
import { Readiness, useReadiness } from './observability/useReadiness.js';
import { useRequestId } from './observability/useRequestId.js';
import { useRequestLog } from './observability/useRequestLog.js';
import type { Context } from './schema/context.js';
import { DEFAULT_MAX_REPRESENTATIONS } from './schema/entities.js';
import { schema as subgraphSchema } from './schema/index.js';
import { OWNERSHIP_DEFAULTS } from './scope/jobAccess.js';
import { LocalOwnerMemo, type OwnerMemo } from './scope/ownerMemo.js';
import { useBadUserInputCodes } from './schema/useBadUserInputCodes.js';
import { useCompiledExecution } from './schema/useCompiledExecution.js';
import type { AdmitWebSocket } from './security/admitWebSocket.js';
import { callerOf } from './security/callerOf.js';
import { DEFAULT_SECURITY, type SecurityOptions } from './security/policy.js';
import { secureYoga } from './security/secureYoga.js';
import { callerScopeOf } from './security/useAuth.js';
import type { MetaStudioClient } from './upstream/client.js';

export interface AppOptions {
  client: MetaStudioClient;
  logger?: Logger;
  /** Most representations in one `_entities` call; default 500. */
  entitiesMaxRepresentations?: number;
  /** Authentication, limits, browser safety, production mode; development on loopback when absent. */
  security?: SecurityOptions;
  /** Prometheus metrics to fill; none without. */
  metrics?: Metrics;
  /** Serve /metrics on this app; false when METRICS_PORT serves it. Default true. */
  metricsEndpoint?: boolean;
  /** More plugins, e.g. tracing. */
  plugins?: Plugin[];
  /** Where state shared by replicas lives (the client's too); this process when absent. */
  cluster?: ClusterState;
  /** The job pollers behind subscriptions; by default, with the default settings. */
  live?: LiveJobs;
  /** What /readyz reports; main.ts hands one that knows the server, the shutdown and the cluster. */
  readiness?: Readiness;
  /** The federation subgraph by default; the benchmark passes a plain schema to price the federation wrapper. */
  schema?: GraphQLSchema;
  /** Where job checks are remembered (the cluster's owner memo) and for how long a confirmed owner; in process, 10 min. */
  ownership?: { memo: OwnerMemo; ttlMs: number };
  /** Parts left out. Only the benchmark (scripts/benchServer.ts) does, to price each one. */
  omit?: ReadonlyArray<'security' | 'requestLog'>;
}

export type App = YogaServerInstance<Record<string, never>, Context> & {
  /** Whether a WebSocket connection may open (origin, credentials); its operations then run through the app. */
  admitWebSocket: AdmitWebSocket;
};

/** With the security plugins left out (the benchmark), any WebSocket connection may open. */
const UNCHECKED_WEBSOCKETS: AdmitWebSocket = async () => null;

const graphiqlOptions: GraphiQLOptions = {
  title: 'MetaStudio voice-training jobs',
  defaultQuery: EXAMPLES_DOCUMENT,
  // Subscriptions over SSE too: its default GET would need a CSRF header.
  method: 'POST',
};

export function createApp({
  client,
  logger,
  security = DEFAULT_SECURITY,
  entitiesMaxRepresentations = DEFAULT_MAX_REPRESENTATIONS,
  metrics,
  metricsEndpoint = true,
  plugins = [],
  cluster = IN_PROCESS,
  live = new LiveJobs(client),
  readiness = new Readiness({ cluster }),
  schema = subgraphSchema,
  omit = [],
  ownership = { memo: new LocalOwnerMemo(), ttlMs: OWNERSHIP_DEFAULTS.ttlMs },
}: AppOptions): App {
  const {
    plugins: securityPlugins,
    admitWebSocket,
    ...secured
  } = omit.includes('security')
    ? { plugins: [], admitWebSocket: UNCHECKED_WEBSOCKETS }
    : secureYoga(security, graphiqlOptions, cluster);
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Unexpected errors become "Unexpected error." with no stack or internals, in every
    // environment; GraphQLErrors we raise on purpose (BAD_USER_INPUT, UPSTREAM_*) pass.
    maskedErrors: { isDev: false },
    logging: logger ?? false,
    // The request tags its upstream calls and its subscriptions' ends, so that its log line can count them.
    context: ({ request, ...serverContext }) => {
      const scope = callerScopeOf(request);
      return {
        loaders: createLoaders(client, request, { scope, memo: ownership.memo, ownershipTtlMs: ownership.ttlMs }),
        entitiesMaxRepresentations,
        live,
        caller: callerOf(request, serverContext),
        scope,
        request,
      };
    },
    ...secured,
    plugins: [
      // Before the security plugins: refused requests are logged and counted too,
      // and probes and scrapes (/readyz, /metrics) need no caller credentials.
      ...(omit.includes('requestLog') ? [] : [useRequestId(), useRequestLog(logger)]),
      // Breaker changes and foreign listed jobs are process-wide events; this app logs them until it is disposed.
      ...(logger ? [{ onDispose: logBreakerTransitions(logger) }, { onDispose: logForeignListedJobs(logger) }] : []),
      useReadiness(readiness),
      ...(metrics
        ? [metrics.plugin({ serve: metricsEndpoint, operationNames: security.persistedOperations !== null })]
        : []),
      ...plugins,
      ...securityPlugins,
      useBadUserInputCodes(),
      useEndUnservedSubscriptions(),
      useCompiledExecution(),
    ],
  });
  return Object.assign(yoga, { admitWebSocket });
}
