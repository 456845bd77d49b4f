// Graceful shutdown, with main as a real process in front of a simulator process
// that answers slowly: a SIGTERM during an upstream call still gets its answer
// to the client; past SHUTDOWN_TIMEOUT_MS the process gives up and exits 1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killAll, runScript, type Script } from './support/processes.js';
import { registerSecret } from './support/runSecrets.js';

afterEach(killAll);

const QUERY = JSON.stringify({ query: 'query Slow { trainingJob(jobId: "job-complete") { operations { totalCount } } }' });

let upstreamEnv: Record<string, string>;
beforeEach(async () => {
  const simulator = runScript('src/simulator/main.ts', { SIMULATOR_PORT: '0', SIMULATOR_LATENCY_MS: '1500' });
  const command = (await simulator.waitFor(/(METASTUDIO_ENDPOINT=\S+) (METASTUDIO_PROJECT_ID=\S+) (CLOUD_SDK_AK=\S+) (CLOUD_SDK_SK=\S+)/)) ?? [];
  expect(command[1], simulator.output()).toBeDefined();
  upstreamEnv = Object.fromEntries(command.slice(1).map((pair) => pair.split('=', 2) as [string, string]));
  // The SK it printed: the server process's log lines must not hold it.
  registerSecret(upstreamEnv.CLOUD_SDK_SK!);
});

async function startServer(env: Record<string, string>): Promise<{ server: Script; url: string; metricsUrl: string }> {
  const server = runScript('src/main.ts', { ...upstreamEnv, PORT: '0', METRICS_PORT: '0', NODE_ENV: 'test', ...env });
  const started = await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/);
  expect(started, server.output()).not.toBeNull();
  const metricsUrl = /"metrics":"([^"]+)"/.exec(server.output())?.[1];
  expect(metricsUrl).toBeDefined();
  return { server, url: started![1]!, metricsUrl: metricsUrl! };
}

/** Resolves once the server has an upstream call in flight, read from its own metrics. */
async function upstreamCallInFlight(metricsUrl: string): Promise<void> {
  for (;;) {
    const text = await (await fetch(metricsUrl)).text();
    if (/^metastudio_upstream_in_flight 1$/m.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('graceful shutdown', () => {
  it('answers the request in flight at SIGTERM, refuses new connections, and exits 0', async () => {
    const { server, url, metricsUrl } = await startServer({});
    expect((await fetch(url.replace('/graphql', '/metrics'))).status).toBe(404);

    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY });
    await upstreamCallInFlight(metricsUrl);
    server.child.kill('SIGTERM');
    await server.waitFor(/SIGTERM received/);

    await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
    expect(await server.exitCode()).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });

  it('gives up after SHUTDOWN_TIMEOUT_MS: closes the connections left and exits 1', async () => {
    const { server, url, metricsUrl } = await startServer({ SHUTDOWN_TIMEOUT_MS: '100' });
    // Settled right away: it fails while we wait for the exit.
    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY }).catch((error: Error) => error);
    await upstreamCallInFlight(metricsUrl);
    server.child.kill('SIGTERM');
    expect(await server.exitCode()).toBe(1);
    expect(await inFlight).toBeInstanceOf(Error);
    expect(server.output()).toMatch(/shutdown timed out/);
  });
});
