// A simulator on a loopback port, a signed client pointed at it, and the yoga
// app, queried through yoga.fetch without a listening port.
import type { ExecutionResult } from 'graphql';
import { DEFAULT_SECURITY, type SecurityOptions } from '../../src/security/policy.js';
import { createApp, type App } from '../../src/app.js';
import { LiveJobs, type LiveJobsOptions } from '../../src/live/liveJobs.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/simulator.js';
import type { MetaStudioClient, MetaStudioClientOptions } from '../../src/upstream/client.js';
import { registerSecret } from './runSecrets.js';
import { simulatorClient } from './simulatorClient.js';

export interface Harness {
  simulator: Simulator;
  client: MetaStudioClient;
  app: App;
  live: LiveJobs;
  /** POSTs one operation and returns the parsed body. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

export type GraphQLResult<T> = ExecutionResult<T, { code?: string; [key: string]: unknown }>;

export async function startHarness(
  options: {
    simulator?: SimulatorOptions;
    client?: Partial<MetaStudioClientOptions>;
    security?: Partial<SecurityOptions>;
    live?: LiveJobsOptions;
  } = {},
): Promise<Harness> {
  const simulator = await startSimulator(options.simulator);
  registerSecret(simulator.credentials.secretKey);
  const client = simulatorClient(simulator, {
    // Tests fire bursts far above a real tenant's budget; rate-limit tests turn it on.
    rateLimit: 0,
    ...options.client,
  });
  const live = new LiveJobs(client, options.live);
  const app = createApp({ client, live, security: { ...DEFAULT_SECURITY, ...options.security } });
  return {
    simulator,
    client,
    app,
    live,
    async query(query, variables) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    async close() {
      live.close();
      await client.close();
      await simulator.close();
    },
  };
}
