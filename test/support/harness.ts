// A simulator on a loopback port, a signed client pointed at it, and the yoga
// app, queried through yoga.fetch without a listening port.
import type { ExecutionResult } from 'graphql';
import { DEFAULT_SECURITY, type SecurityOptions } from '../../src/security/policy.js';
import { createApp, type App } from '../../src/app.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/simulator.js';
import { MetaStudioClient, type MetaStudioClientOptions } from '../../src/upstream/client.js';
import { registerSecret } from './runSecrets.js';

export interface Harness {
  simulator: Simulator;
  client: MetaStudioClient;
  app: App;
  /** POSTs one operation and returns the parsed body. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
}

export type GraphQLResult<T> = ExecutionResult<T, { code?: string; [key: string]: unknown }>;

export async function startHarness(
  options: { simulator?: SimulatorOptions; client?: Partial<MetaStudioClientOptions>; security?: Partial<SecurityOptions> } = {},
): Promise<Harness> {
  const simulator = await startSimulator(options.simulator);
  registerSecret(simulator.credentials.secretKey);
  const client = new MetaStudioClient({
    endpoint: simulator.url,
    projectId: simulator.projectId,
    credentials: simulator.credentials,
    timeoutMs: 5_000,
    concurrency: 8,
    // Tests fire bursts far above a real tenant's budget; rate-limit tests turn it on.
    rateLimit: 0,
    ...options.client,
  });
  const app = createApp({ client, security: { ...DEFAULT_SECURITY, ...options.security } });
  return {
    simulator,
    client,
    app,
    async query(query, variables) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    async close() {
      await client.close();
      await simulator.close();
    },
  };
}
