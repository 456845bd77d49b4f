// N replicas of the server, each its own process started as `npm start` starts it
// (src/main.ts), all pointed at one MetaStudio simulator in the test process (so
// the test counts what the whole cluster sends upstream, in `simulator.requests`)
// and, when given, at one Redis.
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/simulator.js';
import type { GraphQLResult } from './harness.js';
import { runScript, type Script } from './processes.js';
import { registerSecret } from './runSecrets.js';

export interface Replica {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The GraphQL endpoint. */
  url: string;
  script: Script;
}

export interface ReplicasOptions {
  /** How many replicas; default 3. */
  count?: number;
  /** More settings for every replica, e.g. UPSTREAM_RATE_LIMIT. */
  env?: Record<string, string>;
  /** Given to every replica as REDIS_URL. */
  redisUrl?: string;
  simulator?: SimulatorOptions;
}

export interface Replicas {
  simulator: Simulator;
  replicas: Replica[];
  /** POSTs one operation to the next replica in turn and returns the response. */
  post(query: string, variables?: Record<string, unknown>): Promise<Response>;
  /** POSTs one operation to the next replica in turn and returns the parsed body. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** SIGTERM to every replica still running, then the simulator closes; resolves with the exit codes. */
  stop(): Promise<(number | null)[]>;
}

export async function startReplicas({
  count = 3,
  env = {},
  redisUrl,
  simulator: simulatorOptions,
}: ReplicasOptions = {}): Promise<Replicas> {
  const simulator = await startSimulator(simulatorOptions);
  registerSecret(simulator.credentials.secretKey);
  const upstream = {
    METASTUDIO_ENDPOINT: simulator.url,
    METASTUDIO_PROJECT_ID: simulator.projectId,
    CLOUD_SDK_AK: simulator.credentials.accessKey,
    CLOUD_SDK_SK: simulator.credentials.secretKey,
  };
  const scripts = Array.from({ length: count }, () =>
    runScript('src/main.ts', {
      ...upstream,
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...env,
    }),
  );
  let replicas: Replica[];
  try {
    replicas = await Promise.all(
      scripts.map(async (script) => {
        const origin = (await script.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+)\/graphql/))?.[1];
        if (!origin) throw new Error(`A replica did not start:\n${script.output()}`);
        return { origin, url: `${origin}/graphql`, script };
      }),
    );
  } catch (error) {
    for (const script of scripts) script.child.kill('SIGKILL');
    await simulator.close();
    throw error;
  }

  let next = 0;
  const post = (query: string, variables?: Record<string, unknown>) => {
    const replica = replicas[next++ % replicas.length]!;
    return fetch(replica.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
  };
  return {
    simulator,
    replicas,
    post,
    async query(query, variables) {
      return (await post(query, variables)).json();
    },
    async stop() {
      const codes = await Promise.all(
        replicas.map(({ script }) => {
          if (script.child.exitCode === null && script.child.signalCode === null) script.child.kill('SIGTERM');
          return script.exitCode();
        }),
      );
      await simulator.close();
      return codes;
    },
  };
}
