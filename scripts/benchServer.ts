// The benchmark's calibration stages, each a server of its own configured from
// the same environment as dist/main.js, so that the cost of every layer between
// a hello-world yoga and the production app is a measured number:
//   hello             a hello-world yoga: one String field, no upstream call
//   plain             our job done the simplest way (scripts/benchPlainYoga.ts)
//   pothos            yoga with our Pothos schema, loaders and client, nothing else
//   app               the production app as src/main.ts wires it
//   app-<group>       the same without one group: security, requestLog, metrics,
//                     or federation (the Pothos schema without the subgraph wrapper)
//   app+tracing       the same with tracing on, spans dropped at the processor
//                     (main only loads tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set)
// As a process: `node --import tsx scripts/benchServer.ts <stage>`, on PORT and HOST.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace';
import { createSchema, createYoga } from 'graphql-yoga';
import { loadConfig, type Config } from '../src/config.js';
import { createApp } from '../src/app.js';
import { LiveJobs } from '../src/live/liveJobs.js';
import { createLoaders } from '../src/loaders/createLoaders.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { startTracing } from '../src/observability/tracing.js';
import { builder } from '../src/schema/builder.js';
import type { Context } from '../src/schema/context.js';
import { schema } from '../src/schema/index.js';
import { MetaStudioClient } from '../src/upstream/client.js';
import { PageCache } from '../src/upstream/pageCache.js';
import { plainYoga } from './benchPlainYoga.js';
import type { StageName } from './benchStages.js';
import { SCOPING_OFF } from '../src/scope/callerScope.js';

interface Built {
  handler: RequestListener;
  close(): Promise<void>;
}

type Group = 'security' | 'requestLog' | 'metrics' | 'federation';

function upstreamOf(config: Config) {
  if (!config.upstream)
    throw new Error(
      'the benchmark servers need METASTUDIO_ENDPOINT, METASTUDIO_PROJECT_ID, CLOUD_SDK_AK and CLOUD_SDK_SK',
    );
  return config.upstream;
}

/** The client as src/main.ts makes it. */
function clientOf(config: Config): MetaStudioClient {
  return new MetaStudioClient({
    ...upstreamOf(config),
    timeoutMs: config.upstreamTimeoutMs,
    concurrency: config.upstreamConcurrency,
    ...config.resilience,
    pageCache: new PageCache(config.pageCache),
  });
}

function hello(): Built {
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  });
  return { handler: yoga, close: () => yoga.dispose() as Promise<void> };
}

function plain(config: Config): Built {
  const { yoga, close } = plainYoga(upstreamOf(config), config.upstreamConcurrency);
  return { handler: yoga, close };
}

function pothos(config: Config): Built {
  const client = clientOf(config);
  const live = new LiveJobs(client, config.subscriptions);
  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    context: ({ request }) => ({
      loaders: createLoaders(client, request),
      entitiesMaxRepresentations: config.entitiesMaxRepresentations,
      live,
      caller: 'bench',
      scope: SCOPING_OFF,
      request,
    }),
  });
  return {
    handler: yoga,
    async close() {
      live.close();
      await client.close();
    },
  };
}

/** src/main.ts's wiring, less `without`, plus tracing when asked. */
function app(config: Config, { without = [], tracing = false }: { without?: Group[]; tracing?: boolean }): Built {
  const client = clientOf(config);
  const live = new LiveJobs(client, config.subscriptions);
  const metrics = without.includes('metrics') ? undefined : new Metrics(client, undefined, live);
  const traced = tracing ? startTracing({ spanProcessor: new NoopSpanProcessor() }) : undefined;
  const yoga = createApp({
    client,
    logger: createLogger({ level: config.logLevel }),
    security: config.security,
    entitiesMaxRepresentations: config.entitiesMaxRepresentations,
    ...(metrics ? { metrics } : {}),
    plugins: traced ? [traced.plugin] : [],
    ...(without.includes('federation') ? { schema: builder.toSchema() } : {}),
    omit: without.filter((group) => group === 'security' || group === 'requestLog'),
    live,
  });
  return {
    handler: yoga,
    async close() {
      live.close();
      await yoga.dispose();
      metrics?.close();
      await traced?.shutdown();
      await client.close();
    },
  };
}

export const STAGES: Record<StageName, (config: Config) => Built> = {
  hello,
  plain,
  pothos,
  app: (config) => app(config, {}),
  'app-security': (config) => app(config, { without: ['security'] }),
  'app-requestLog': (config) => app(config, { without: ['requestLog'] }),
  'app-metrics': (config) => app(config, { without: ['metrics'] }),
  'app-federation': (config) => app(config, { without: ['federation'] }),
  'app+tracing': (config) => app(config, { tracing: true }),
};

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

/** Starts `stage` configured from `env` as src/main.ts is; its GraphQL endpoint is `url`. */
export async function startBenchServer(
  stage: string,
  env: NodeJS.ProcessEnv,
  port = 0,
  host = '127.0.0.1',
): Promise<BenchServer> {
  const make = Object.hasOwn(STAGES, stage) ? STAGES[stage as StageName] : undefined;
  if (!make) throw new Error(`no benchmark stage "${stage}"; the stages are: ${Object.keys(STAGES).join(', ')}`);
  const built = make(loadConfig(env));
  const server = createServer(built.handler);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await built.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startBenchServer(
    process.argv[2] ?? '',
    process.env,
    Number(process.env.PORT ?? 0),
    process.env.HOST ?? '127.0.0.1',
  );
  console.log(`${process.argv[2]} at ${server.url}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
