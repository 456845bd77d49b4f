// The HTTP face: graphql-yoga at /graphql (GraphQL over HTTP, GraphiQL with
// bundled assets), /healthz, /readyz, /metrics when asked, and nothing else.
// It does not listen: main.ts serves it on node:http.
import type { GraphQLSchema } from 'graphql';
import { createYoga, type GraphiQLOptions, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { EXAMPLES_DOCUMENT } from './graphiql/examples.js';
import { createLoaders } from './loaders/createLoaders.js';
import { logBreakerTransitions } from './observability/logBreakerTransitions.js';
import type { Metrics } from './observability/metrics.js';
import { useReadiness } from './observability/useReadiness.js';
import { useRequestId } from './observability/useRequestId.js';
import { useRequestLog } from './observability/useRequestLog.js';
import type { Context } from './schema/context.js';
import { DEFAULT_MAX_REPRESENTATIONS } from './schema/entities.js';
import { schema as subgraphSchema } from './schema/index.js';
import { useBadUserInputCodes } from './schema/useBadUserInputCodes.js';
import { useCompiledExecution } from './schema/useCompiledExecution.js';
import { DEFAULT_SECURITY, type SecurityOptions } from './security/policy.js';
import { secureYoga } from './security/secureYoga.js';
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
  /** The federation subgraph by default; the benchmark passes a plain schema to price the federation wrapper. */
  schema?: GraphQLSchema;
  /** Parts left out. Only the benchmark (scripts/benchServer.ts) does, to price each one. */
  omit?: ReadonlyArray<'security' | 'requestLog'>;
}

export type App = YogaServerInstance<Record<string, never>, Context>;

const graphiqlOptions: GraphiQLOptions = { title: 'MetaStudio operation logs', defaultQuery: EXAMPLES_DOCUMENT };

export function createApp({
  client,
  logger,
  security = DEFAULT_SECURITY,
  entitiesMaxRepresentations = DEFAULT_MAX_REPRESENTATIONS,
  metrics,
  metricsEndpoint = true,
  plugins = [],
  schema = subgraphSchema,
  omit = [],
}: AppOptions): App {
  const { plugins: securityPlugins, ...secured } = omit.includes('security') ? { plugins: [] } : secureYoga(security, graphiqlOptions);
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Unexpected errors become "Unexpected error." with no stack or internals, in every
    // environment; GraphQLErrors we raise on purpose (BAD_USER_INPUT, UPSTREAM_*) pass.
    maskedErrors: { isDev: false },
    logging: logger ?? false,
    // The request tags its upstream calls, so that its log line can count them.
    context: ({ request }) => ({ loaders: createLoaders(client, request), entitiesMaxRepresentations }),
    ...secured,
    plugins: [
      // Before the security plugins: refused requests are logged and counted too,
      // and probes and scrapes (/readyz, /metrics) need no caller credentials.
      ...(omit.includes('requestLog') ? [] : [useRequestId(), useRequestLog(logger)]),
      // Breaker changes are process-wide events; this app logs them until it is disposed.
      ...(logger ? [{ onDispose: logBreakerTransitions(logger) }] : []),
      useReadiness(),
      ...(metrics ? [metrics.plugin({ serve: metricsEndpoint, operationNames: security.persistedOperations !== null })] : []),
      ...plugins,
      ...securityPlugins,
      useBadUserInputCodes(),
      useCompiledExecution(),
    ],
  });
}
