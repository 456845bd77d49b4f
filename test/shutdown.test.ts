// Graceful shutdown, with main as a real process in front of a simulator process
// that answers slowly: a SIGTERM during an upstream call still gets its answer
// to the client; past SHUTDOWN_TIMEOUT_MS the process gives up and exits 1; open
// subscriptions complete, over SSE and WebSocket, and do not hold the exit.
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { killAll, runScript, type Script } from './support/processes.js';
import { registerSecret } from './support/runSecrets.js';

afterEach(killAll);

const QUERY = JSON.stringify({
  query: 'query Slow { trainingJob(jobId: "job-complete") { operations { totalCount } } }',
});

let upstreamEnv: Record<string, string>;

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
  // A simulator process that answers slowly, so a request is still in flight at SIGTERM.
  beforeEach(async () => {
    const simulator = runScript('src/simulator/main.ts', { SIMULATOR_PORT: '0', SIMULATOR_LATENCY_MS: '1500' });
    const command =
      (await simulator.waitFor(
        /(METASTUDIO_ENDPOINT=\S+) (METASTUDIO_PROJECT_ID=\S+) (CLOUD_SDK_AK=\S+) (CLOUD_SDK_SK=\S+)/,
      )) ?? [];
    expect(command[1], simulator.output()).toBeDefined();
    upstreamEnv = Object.fromEntries(command.slice(1).map((pair) => pair.split('=', 2) as [string, string]));
    // The SK it printed: the server process's log lines must not hold it.
    registerSecret(upstreamEnv.CLOUD_SDK_SK!);
  });

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

  it('ends at once on a second SIGTERM, the request in flight or not', async () => {
    const { server, url, metricsUrl } = await startServer({ SHUTDOWN_TIMEOUT_MS: '60000' });
    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY }).catch(
      (error: Error) => error,
    );
    await upstreamCallInFlight(metricsUrl);
    server.child.kill('SIGTERM');
    await server.waitFor(/SIGTERM received/);
    server.child.kill('SIGTERM');
    // The in-flight call takes 1.5 s: ended first, the process never answered it.
    expect(await within(5_000, server.exitCode(), 'a second SIGTERM did not end the process')).toBeNull();
    expect(server.child.signalCode).toBe('SIGTERM');
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it('gives up after SHUTDOWN_TIMEOUT_MS: closes the connections left and exits 1', async () => {
    const { server, url, metricsUrl } = await startServer({ SHUTDOWN_TIMEOUT_MS: '100' });
    // Settled right away: it fails while we wait for the exit.
    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY }).catch(
      (error: Error) => error,
    );
    await upstreamCallInFlight(metricsUrl);
    server.child.kill('SIGTERM');
    expect(await server.exitCode()).toBe(1);
    expect(await inFlight).toBeInstanceOf(Error);
    expect(server.output()).toMatch(/shutdown timed out/);
  });
});

/** Resolves with `promise`, or fails with `message` past `ms`. */
function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe("shutdown whatever becomes of the log's reader", () => {
  /**
   * Queries whose log lines (2 kB each, the operation name) add up to well over what a
   * pipe and its reader's buffer hold; resolves with the statuses (0: no answer within 3 s).
   */
  async function manyQueries(url: string, count = 200): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 50) {
      const batch = Array.from({ length: 50 }, () =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `query ${'Q'.repeat(2_000)} { __typename }` }),
          signal: AbortSignal.timeout(3_000),
        }).then(
          (response) => response.status,
          () => 0,
        ),
      );
      statuses.push(...(await Promise.all(batch)));
      if (statuses.includes(0)) break;
    }
    return statuses;
  }

  it.each([
    ['stopped reading (its pipe full)', (child: Script['child']) => child.stdout.pause()],
    ['closed (EPIPE)', (child: Script['child']) => child.stdout.destroy()],
  ])(
    "serves on and exits 0 within SHUTDOWN_TIMEOUT_MS when stdout's reader %s",
    async (_name, leave) => {
      const server = runScript('src/main.ts', { PORT: '0', NODE_ENV: 'test', SHUTDOWN_TIMEOUT_MS: '2000' });
      const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
      expect(url, server.output()).toBeDefined();
      leave(server.child);
      const statuses = await manyQueries(url!);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      server.child.kill('SIGTERM');
      expect(await within(2_000 + 5_000, server.exitCode(), 'the server did not exit after SIGTERM')).toBe(0);
    },
    40_000,
  );
});

describe('graceful shutdown with subscriptions open', () => {
  const SUBSCRIPTION = 'subscription { trainingJobEvents(jobId: "live-600000-shutdown") { status totalCount } }';

  it('completes every open stream at SIGTERM (SSE: a complete event; WebSocket: complete, then close 1001) and exits 0', async () => {
    // The embedded simulator: the job gains an operation every 10 minutes, so the streams stay open.
    const server = runScript('src/main.ts', { PORT: '0', NODE_ENV: 'test', SUBSCRIPTION_POLL_MS: '50' });
    const url = (await server.waitFor(/GraphiQL at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, server.output()).toBeDefined();

    const sse = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    const reader = sse.body!.getReader();
    const decoder = new TextDecoder();
    let streamed = '';
    while (!streamed.includes('event: next')) streamed += decoder.decode((await reader.read()).value, { stream: true });

    const socket = new WebSocket(url!.replace('http:', 'ws:'), 'graphql-transport-ws');
    const messages: Array<{ type: string; id?: string }> = [];
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await once(socket, 'open');
    const arrived = (type: string) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.some((m) => m.type === type) ? resolve() : socket.once('message', check));
        check();
      });
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await arrived('connection_ack');
    socket.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
    await arrived('next');

    server.child.kill('SIGTERM');
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      streamed += decoder.decode(value, { stream: true });
    }
    expect(streamed).toMatch(
      /event: next\ndata: \{"data":\{"trainingJobEvents":\{"status":"CREATED","totalCount":1\}\}\}\n\n[\s\S]*event: complete\n/,
    );
    expect(await closed).toBe(1001);
    expect(messages.map((m) => m.type)).toEqual(['connection_ack', 'next', 'complete']);
    expect(messages.at(-1)).toEqual({ id: 'live', type: 'complete' });
    expect(await server.exitCode()).toBe(0);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });
});
