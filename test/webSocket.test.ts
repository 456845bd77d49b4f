// GraphQL over WebSocket (graphql-transport-ws) on a listening server, with
// graphql-ws's own client and with raw frames where the protocol's details
// matter: subscriptions share the job's poller with SSE, and authentication,
// origin checks and every limit apply as they do over HTTP.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SecurityOptions } from '../src/security/policy.js';
import { serveWebSocket, type WebSocketEndpoint } from '../src/webSocket.js';
import type { LiveJobsOptions } from '../src/live/liveJobs.js';
import { startHarness, type Harness } from './support/harness.js';
import { ManualTimers } from './support/manualTimers.js';
import { TEST_SECRETS } from './support/secrets.js';
import { take } from './support/take.js';
import { LIVE_LIFECYCLE } from './support/liveLifecycle.js';

const DAY = 86_400_000;
const POLLS = (ms: number) => ms < DAY;
const API_KEY = TEST_SECRETS.authApiKey;
const API_KEY_DIGEST = createHash('sha256').update(API_KEY).digest('hex');

let clock: number;
let timers: ManualTimers;
let h: Harness;
let server: Server;
let endpoint: WebSocketEndpoint;
let url: string;
const clients: Client[] = [];

async function start(
  options: { security?: Partial<SecurityOptions>; live?: LiveJobsOptions; keepAliveMs?: number } = {},
) {
  clock = Date.UTC(2026, 11, 1, 9, 0);
  timers = new ManualTimers();
  h = await startHarness({
    simulator: { now: () => clock },
    security: options.security,
    live: { pollMs: 50, maxPerCaller: 50, timers, ...options.live },
  });
  server = createServer(h.app);
  endpoint = serveWebSocket(server, h.app, { maxPayloadBytes: 100_000, keepAliveMs: options.keepAliveMs });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  h.live.close();
  await endpoint.close();
  server.close();
  await h.close();
});

function wsClient(connectionParams?: Record<string, unknown>): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
}

const EVENTS = `subscription Watch($jobId: ID!) {
  trainingJobEvents(jobId: $jobId) { status totalCount newOperations { action } job { status latestOperation { action } } }
}`;

interface Result {
  data?: {
    trainingJobEvents: {
      status: string;
      totalCount: number;
      newOperations: Array<{ action: string }>;
      job: { status: string };
    };
  } | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Moves live jobs (stepMs 1000) on by one operation and runs the polls due. */
function step(): void {
  clock += 1_000;
  timers.fire(POLLS);
}

/** Resolves once no job is watched any more (its subscribers left). */
async function stopped(): Promise<void> {
  while (h.live.watchedJobs > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A raw graphql-transport-ws connection: the frames themselves and the close code. */
async function rawSocket(headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await once(socket, 'open');
  return {
    socket,
    closed,
    send: (message: Record<string, unknown>) => socket.send(JSON.stringify(message)),
    async next(type: string): Promise<Record<string, unknown>> {
      for (;;) {
        const index = messages.findIndex((m) => m.type === type);
        if (index >= 0) return messages.splice(index, 1)[0]!;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

describe('subscriptions over WebSocket', () => {
  it('20 subscribers over WebSocket and 20 over SSE to one job cost the upstream calls of one, each operation once and in order', async () => {
    await start();
    const ws = wsClient();
    const viaWs = Array.from(
      { length: 20 },
      () => ws.iterate({ query: EVENTS, variables: { jobId: 'live-1000-shared' } }) as AsyncIterableIterator<Result>,
    );
    const single = ws.iterate({
      query: EVENTS,
      variables: { jobId: 'live-1000-alone' },
    }) as AsyncIterableIterator<Result>;
    const viaSse = Array.from({ length: 20 }, () => sseIterate('live-1000-shared'));
    const all = [...viaWs, ...viaSse, single];
    const received = await Promise.all(all.map((events) => take(events)));
    for (let i = 1; i < LIVE_LIFECYCLE.length; i++) {
      step();
      const batch = await Promise.all(all.map((events) => take(events)));
      batch.forEach((results, n) => {
        received[n]!.push(...results);
      });
    }
    for (const results of received) {
      expect(results.flatMap((r) => r.data!.trainingJobEvents.newOperations.map((op) => op.action))).toEqual(
        LIVE_LIFECYCLE,
      );
      expect(results.at(-1)!.data!.trainingJobEvents).toMatchObject({
        status: 'COMPLETED',
        job: { status: 'COMPLETED' },
      });
    }
    for (const events of all) expect(await events.next()).toMatchObject({ done: true });
    const calls = (jobId: string) =>
      h.simulator.requests.filter((r) => r.jobId === jobId).map((r) => `${r.offset}+${r.limit}`);
    expect(calls('live-1000-shared')).toEqual(calls('live-1000-alone'));
    expect(calls('live-1000-shared')).toHaveLength(LIVE_LIFECYCLE.length);
  });

  it('refuses a subscription beyond SUBSCRIPTION_MAX_PER_CALLER with an error message naming it, and the others go on', async () => {
    await start({ live: { maxPerCaller: 1 } });
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: 'a', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'live-1000-limit' } } });
    expect(await raw.next('next')).toMatchObject({
      id: 'a',
      payload: { data: { trainingJobEvents: { status: 'CREATED' } } },
    });
    raw.send({ id: 'b', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'live-1000-limit' } } });
    expect(await raw.next('error')).toEqual({
      id: 'b',
      type: 'error',
      payload: [
        {
          message: 'This caller already has 1 open subscriptions (limit SUBSCRIPTION_MAX_PER_CALLER)',
          extensions: { code: 'RATE_LIMITED', limit: 'SUBSCRIPTION_MAX_PER_CALLER' },
        },
      ],
    });
    step();
    expect(await raw.next('next')).toMatchObject({
      id: 'a',
      payload: { data: { trainingJobEvents: { status: 'IN_REVIEW' } } },
    });
    raw.socket.close();
  });

  it('applies the operation limits: a query too deep is an error message with LIMIT_EXCEEDED', async () => {
    await start({
      security: { limits: { ...(await import('../src/security/policy.js')).DEFAULT_LIMITS, maxDepth: 2 } },
    });
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: 'deep', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'live-1000-deep' } } });
    const error = await raw.next('error');
    expect(error).toMatchObject({
      id: 'deep',
      payload: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'MAX_DEPTH' } }],
    });
    expect(h.simulator.requests).toEqual([]);
    raw.socket.close();
  });

  it('applies MAX_UPSTREAM_CALLS to what one event may cost, and CALLER_RATE_LIMIT to each operation', async () => {
    const { DEFAULT_LIMITS } = await import('../src/security/policy.js');
    await start({ security: { limits: { ...DEFAULT_LIMITS, maxUpstreamCalls: 10 }, callerRateLimit: 1 } });
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    const costly =
      'subscription { trainingJobEvents(jobId: "job-training") { job { operationHistory(max: 5000) { action } } } }';
    raw.send({ id: 'costly', type: 'subscribe', payload: { query: costly } });
    expect(await raw.next('error')).toMatchObject({
      id: 'costly',
      payload: [{ extensions: { code: 'LIMIT_EXCEEDED', limit: 'MAX_UPSTREAM_CALLS' } }],
    });
    // The caller's one request this second was the refused one: the next is over CALLER_RATE_LIMIT.
    raw.send({ id: 'fast', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'job-training' } } });
    expect(await raw.next('error')).toMatchObject({
      id: 'fast',
      payload: [{ extensions: { code: 'RATE_LIMITED', limit: 'CALLER_RATE_LIMIT' } }],
    });
    expect(h.simulator.requests).toEqual([]);
    raw.socket.close();
  });

  it('closes the socket with 1009 on a message larger than MAX_BODY_BYTES', async () => {
    await start();
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: 'big', type: 'subscribe', payload: { query: `# ${'x'.repeat(100_001)}\n{ __typename }` } });
    expect((await raw.closed).code).toBe(1009);
  });

  it('stops the poller once the client goes away', async () => {
    await start();
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: '1', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'live-1000-leaving' } } });
    await raw.next('next');
    expect(h.live.watchedJobs).toBe(1);
    raw.socket.close();
    await stopped();
    expect(timers.waits(POLLS)).toEqual([]);
  });

  it('keeps the connection alive with pings', async () => {
    await start({ keepAliveMs: 50 });
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    await once(raw.socket, 'ping');
    raw.socket.close();
  });
});

describe('who may connect', () => {
  const apikey = { auth: { mode: 'apikey' as const, keyDigests: [API_KEY_DIGEST] } };

  it('closes with 4401 without acceptable credentials, and admits them from connection_init or the upgrade headers', async () => {
    await start({ security: apikey });
    const refused = await rawSocket();
    refused.send({ type: 'connection_init' });
    expect(await refused.closed).toEqual({
      code: 4401,
      reason: 'Authentication required: send an API key in the x-api-key header',
    });

    const wrong = await rawSocket();
    wrong.send({ type: 'connection_init', payload: { 'x-api-key': TEST_SECRETS.wrongApiKey } });
    expect((await wrong.closed).code).toBe(4401);

    for (const [payload, headers] of [
      [{ 'x-api-key': API_KEY }, {}],
      [{ headers: { 'X-API-Key': API_KEY } }, {}],
      [undefined, { 'x-api-key': API_KEY }],
    ] as const) {
      const admitted = await rawSocket(headers);
      admitted.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
      await admitted.next('connection_ack');
      admitted.send({ id: '1', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'job-training' } } });
      expect(await admitted.next('next')).toMatchObject({
        payload: { data: { trainingJobEvents: { status: 'TRAINING' } } },
      });
      admitted.socket.close();
      await stopped();
    }
    // One first read per admitted connection; the refused ones never reached the upstream.
    expect(h.simulator.requests.map((r) => r.jobId)).toEqual(['job-training', 'job-training', 'job-training']);
  });

  it('closes with 4403 a page from an origin CORS_ORIGINS does not allow; the same origin and allowed ones get in', async () => {
    await start({ security: { production: true, corsOrigins: ['https://app.example.com'] } });
    const foreign = await rawSocket({ origin: 'https://evil.example.com' });
    foreign.send({ type: 'connection_init' });
    expect((await foreign.closed).code).toBe(4403);
    for (const origin of ['https://app.example.com', url.replace('ws://', 'http://').replace('/graphql', '')]) {
      const allowed = await rawSocket({ origin });
      allowed.send({ type: 'connection_init' });
      expect(await allowed.next('connection_ack')).toEqual({ type: 'connection_ack' });
      allowed.socket.close();
    }
  });
});

/** An SSE subscription through the same app, read the way graphql-sse clients read it. */
function sseIterate(jobId: string): AsyncIterableIterator<Result> {
  const response = h.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: EVENTS, variables: { jobId } }),
  });
  let reader: ReadableStreamDefaultReader<string> | undefined;
  let buffered = '';
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      reader ??= (await response).body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (block.startsWith('event: complete')) return { done: true, value: undefined };
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (data) return { done: false, value: JSON.parse(data) as Result };
          continue;
        }
        const { value, done } = await reader.read();
        if (done) return { done: true, value: undefined };
        buffered += value;
      }
    },
  };
}
