// A signed MetaStudio client pointed at a simulator, with the settings tests share.
import type { Simulator } from '../../src/simulator/simulator.js';
import { MetaStudioClient, type MetaStudioClientOptions } from '../../src/upstream/client.js';

export function simulatorClient(
  simulator: Simulator,
  options: Partial<MetaStudioClientOptions> = {},
): MetaStudioClient {
  return new MetaStudioClient({
    endpoint: simulator.url,
    projectId: simulator.projectId,
    credentials: simulator.credentials,
    timeoutMs: 5_000,
    concurrency: 8,
    ...options,
  });
}
