// Wires it up: configuration, upstream (real or the embedded simulator), the app
// on node:http (the only place that listens), metrics, graceful shutdown.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IN_PROCESS, RedisState, type ClusterState } from './cluster/clusterState.js';
import { type Config, ConfigError, loadConfig, type UpstreamConfig } from './config.js';
import { createApp } from './app.js';
import { LiveJobs } from './live/liveJobs.js';
import { logRedisTransitions } from './observability/logRedisTransitions.js';
import { createLogger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { Readiness } from './observability/useReadiness.js';
import { serveMetrics, type MetricsServer } from './observability/serveMetrics.js';
import type { Tracing } from './observability/tracing.js';
import { allowsOrigin } from './security/cors.js';
import { handleShutdownSignals } from './shutdown.js';
import { serveWebSocket } from './webSocket.js';
import type { Simulator } from './simulator/simulator.js';
import { MetaStudioClient } from './upstream/client.js';
import { PageCache } from './upstream/pageCache.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger({
  level: config.logLevel,
  pretty: process.stdout.isTTY && config.nodeEnv !== 'production',
});

let simulator: Simulator | undefined;
let upstream: UpstreamConfig;
if (config.upstream) {
  upstream = config.upstream;
} else {
  // Loaded only here: a server with real credentials never needs it.
  const { startSimulator } = await import('./simulator/simulator.js');
  simulator = await startSimulator({ recordRequests: false });
  upstream = { endpoint: simulator.url, projectId: simulator.projectId, credentials: simulator.credentials };
}

let cluster: ClusterState = IN_PROCESS;
if (config.redis) {
  logRedisTransitions(logger);
  // Never fails: an unreachable Redis starts this replica degraded, and it joins when Redis answers.
  cluster = await RedisState.connect(config.redis);
}
// A replica waiting for another's fetch of the same page gives up when that fetch
// would have had its token and one attempt; then it fetches for itself.
const sharedPageWaitMs = Math.min(
  config.resilience.deadlineMs,
  config.resilience.queueTimeoutMs + config.upstreamTimeoutMs,
);
const { ttlMs } = config.pageCache;
const client = new MetaStudioClient({
  ...upstream,
  timeoutMs: config.upstreamTimeoutMs,
  concurrency: config.upstreamConcurrency,
  ...config.resilience,
  pageCache: new PageCache(
    config.pageCache,
    ttlMs > 0 ? cluster.sharedPages({ ttlMs, waitMs: sharedPageWaitMs }) : null,
  ),
  cluster,
});
let tracing: Tracing | undefined;
if (config.otlpEndpoint) tracing = (await import('./observability/tracing.js')).startTracing();
const live = new LiveJobs(client, {
  ...config.subscriptions,
  replicas: () => cluster.replicas,
  sharing: cluster.jobSharing(client.tenant),
});
const metrics = new Metrics(client, cluster, live);
let metricsServer: MetricsServer | undefined;
if (config.metricsPort !== null) {
  try {
    metricsServer = await serveMetrics(metrics, config.metricsPort, config.host);
  } catch (error) {
    logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.metricsPort} for metrics`);
    process.exit(1);
  }
}
const server = createServer({
  headersTimeout: config.http.headersTimeoutMs,
  requestTimeout: config.http.requestTimeoutMs,
  keepAliveTimeout: config.http.keepAliveTimeoutMs,
  // How often those timeouts are checked (30 s by default, which would stretch them).
  connectionsCheckingInterval: 1_000,
});
const readiness = new Readiness({ listening: () => server.listening, cluster });
const app = createApp({
  client,
  logger,
  security: config.security,
  entitiesMaxRepresentations: config.entitiesMaxRepresentations,
  metrics,
  metricsEndpoint: !metricsServer,
  plugins: tracing ? [tracing.plugin] : [],
  cluster,
  live,
  readiness,
});
server.on('request', app);
const { corsOrigins, production } = config.security;
const webSocket = serveWebSocket(server, app, {
  maxPayloadBytes: config.security.limits.maxBodyBytes,
  ...config.webSocket,
  allowOrigin: (origin, host) => allowsOrigin(origin, host, corsOrigins, production),
  logger,
});

server.on('error', (error) => {
  logger.fatal({ err: error }, `cannot listen on ${config.host}:${config.port}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  // The bound port, which differs from the configured one when PORT=0.
  const { port } = server.address() as AddressInfo;
  const graphiql = `http://${host}:${port}/graphql`;
  const metricsUrl = `http://${host}:${metricsServer?.port ?? port}/metrics`;
  if (simulator) {
    logger.info(
      { metrics: metricsUrl, sharedState: cluster.mode },
      `No CLOUD_SDK_AK/SK set: serving the built-in MetaStudio simulator. GraphiQL at ${graphiql}`,
    );
  } else {
    logger.info(
      { endpoint: upstream.endpoint, projectId: upstream.projectId, metrics: metricsUrl, sharedState: cluster.mode },
      `Serving MetaStudio voice-training jobs. GraphiQL at ${graphiql}`,
    );
  }
});

handleShutdownSignals({
  server,
  endStreams: async () => {
    // /readyz answers 503 to requests still arriving on open connections.
    readiness.drain();
    live.close();
    await webSocket.close();
  },
  resources: [
    () => client.close(),
    // Leaves the replica count at once, so the others take up its share of the budget.
    () => cluster.close(),
    async () => simulator?.close(),
    async () => metricsServer?.close(),
    () => metrics.close(),
    async () => tracing?.shutdown(),
  ],
  timeoutMs: config.shutdownTimeoutMs,
  logger,
});
