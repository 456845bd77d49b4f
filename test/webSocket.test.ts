// GraphQL over WebSocket (graphql-transport-ws) on a listening server, with
// graphql-ws's own client and with raw frames where the protocol's details
// matter: subscriptions share the job's poller with SSE, and authentication,
// origin checks and every limit apply as they do over HTTP.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Writable } from 'node:stream';
import { connect } from 'node:net';
import pino, { type Logger } from 'pino';
import { allowsOrigin } from '../src/security/cors.js';
import { CREDENTIALS_EXPIRED } from '../src/security/useCredentialExpiry.js';
import type { SecurityOptions } from '../src/security/policy.js';
import { serveWebSocket, type WebSocketEndpoint } from '../src/webSocket.js';
import type { LiveJobsOptions } from '../src/live/liveJobs.js';
import type { MetaStudioClientOptions } from '../src/upstream/client.js';
import { startHarness, type Harness } from './support/harness.js';
import { ManualTimers } from './support/manualTimers.js';
import { TEST_SECRETS } from './support/secrets.js';
import { take } from './support/take.js';
import { eventually } from './support/eventually.js';
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
  options: {
    security?: Partial<SecurityOptions>;
    live?: LiveJobsOptions;
    keepAliveMs?: number;
    client?: Partial<MetaStudioClientOptions>;
    webSocket?: { maxConnections?: number; maxConnectionsPerCaller?: number; logger?: Logger };
  } = {},
) {
  clock = Date.UTC(2026, 11, 1, 9, 0);
  timers = new ManualTimers();
  h = await startHarness({
    simulator: { now: () => clock },
    security: options.security,
    client: options.client,
    live: { pollMs: 50, maxPerCaller: 50, timers, ...options.live },
  });
  server = createServer(h.app);
  const { corsOrigins = [], production = false } = options.security ?? {};
  endpoint = serveWebSocket(server, h.app, {
    maxPayloadBytes: 100_000,
    keepAliveMs: options.keepAliveMs,
    allowOrigin: (origin, host) => allowsOrigin(origin, host, corsOrigins, production),
    ...options.webSocket,
  });
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
        const index = messages.findIndex((m) => type === '*' || m.type === type);
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
          locations: [{ line: 2, column: 3 }],
          path: ['trainingJobEvents'],
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

  it('ends a subscription completed, or whose socket closed, before its first event: poller, gauge and caller count freed', async () => {
    await start({ live: { maxPerCaller: 1 } });
    let release = () => {};
    h.simulator.inject(
      { kind: 'hold', until: new Promise<void>((resolve) => (release = resolve)) },
      { jobId: 'job-training' },
    );
    for (const leave of ['complete', 'close'] as const) {
      const raw = await rawSocket();
      raw.send({ type: 'connection_init' });
      await raw.next('connection_ack');
      raw.send({ id: 'a', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'job-training' } } });
      await eventually(() => h.live.openSubscriptions === 1, 'the subscription never opened');
      if (leave === 'complete') raw.send({ id: 'a', type: 'complete' });
      else raw.socket.terminate();
      // Its first read is still held at the upstream: nothing else can have ended it.
      await eventually(
        () => h.live.openSubscriptions === 0 && h.live.watchedJobs === 0,
        `after ${leave} before the first event, the subscription stayed open`,
        1_000,
      );
      raw.socket.close();
    }
    release();
    // The caller's one subscription (SUBSCRIPTION_MAX_PER_CALLER=1) is free again.
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: 'b', type: 'subscribe', payload: { query: EVENTS, variables: { jobId: 'job-training' } } });
    expect(await raw.next('*')).toMatchObject({ id: 'b', type: 'next' });
    raw.socket.close();
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

  it('refuses at the upgrade with 403 a page from an origin CORS_ORIGINS does not allow, holding no socket; the same origin and allowed ones get in', async () => {
    await start({ security: { production: true, corsOrigins: ['https://app.example.com'] } });
    const foreign = new WebSocket(url, 'graphql-transport-ws', { headers: { origin: 'https://evil.example.com' } });
    const [, response] = (await Promise.race([
      once(foreign, 'unexpected-response'),
      once(foreign, 'open').then(() => {
        throw new Error('the upgrade from a forbidden origin was accepted');
      }),
    ])) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(403);
    await eventually(async () => (await endpointSockets()) === 0, 'a socket from a forbidden origin is held');
    for (const origin of ['https://app.example.com', url.replace('ws://', 'http://').replace('/graphql', '')]) {
      const allowed = await rawSocket({ origin });
      allowed.send({ type: 'connection_init' });
      expect(await allowed.next('connection_ack')).toEqual({ type: 'connection_ack' });
      allowed.socket.close();
    }
  });
});

describe('when the credentials expire', () => {
  const EXPIRED = { message: CREDENTIALS_EXPIRED, extensions: { code: 'UNAUTHENTICATED' } };

  /** A bearer token that expires at the next whole second but one, and that second. */
  async function shortLivedToken(): Promise<{ token: string; expiresAt: number }> {
    const exp = Math.ceil(Date.now() / 1000) + 1;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('expiring')
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(TEST_SECRETS.authJwtSecret));
    return { token, expiresAt: exp * 1000 };
  }

  /** Resolves with `promise`, or fails with `message` past `ms`. */
  function within<T>(ms: number, promise: Promise<T>, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  const jwt = { auth: { mode: 'jwt' as const, secret: TEST_SECRETS.authJwtSecret } };

  it('ends an SSE subscription with UNAUTHENTICATED as its last event, then completes', async () => {
    await start({ security: jwt });
    const { token, expiresAt } = await shortLivedToken();
    const events = sseIterate(
      'live-1000-expiring',
      EVENTS,
      { jobId: 'live-1000-expiring' },
      { authorization: `Bearer ${token}` },
    );
    expect((await events.next()).value).toMatchObject({ data: { trainingJobEvents: { status: 'CREATED' } } });
    const last = await within(expiresAt - Date.now() + 3_000, events.next(), 'the subscription outlived its token');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(last).toEqual({ done: false, value: { errors: [expect.objectContaining(EXPIRED)] } });
    expect(await events.next()).toMatchObject({ done: true });
    await eventually(() => h.live.openSubscriptions === 0, 'the expired subscription is still open');
  });

  it('ends each WebSocket operation with an UNAUTHENTICATED error, then closes the socket with 4401', async () => {
    await start({ security: jwt });
    const { token, expiresAt } = await shortLivedToken();
    const raw = await rawSocket();
    raw.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    await raw.next('connection_ack');
    for (const id of ['a', 'b']) {
      raw.send({ id, type: 'subscribe', payload: { query: EVENTS, variables: { jobId: `live-1000-${id}` } } });
      expect(await raw.next('next')).toMatchObject({
        id,
        payload: { data: { trainingJobEvents: { status: 'CREATED' } } },
      });
    }
    const closed = await within(expiresAt - Date.now() + 3_000, raw.closed, 'the socket outlived its token');
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(closed.code).toBe(4401);
    const errors = [await raw.next('error'), await raw.next('error')].sort((x, y) =>
      String(x.id).localeCompare(String(y.id)),
    );
    expect(errors).toEqual([
      { id: 'a', type: 'error', payload: [expect.objectContaining(EXPIRED)] },
      { id: 'b', type: 'error', payload: [expect.objectContaining(EXPIRED)] },
    ]);
    await eventually(() => h.live.openSubscriptions === 0, 'the expired subscriptions are still open');
  });
});

describe('limits on sockets', () => {
  /** A socket through connection_init; resolves with the ack or the close. */
  async function connectAndInit(payload?: Record<string, unknown>) {
    const raw = await rawSocket();
    raw.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
    const outcome = await Promise.race([raw.next('connection_ack').then(() => 'ack' as const), raw.closed]);
    return { raw, outcome };
  }

  it('closes a socket beyond WS_MAX_CONNECTIONS with 1013, and leaves the open ones alone', async () => {
    await start({ webSocket: { maxConnections: 2 } });
    const first = await connectAndInit();
    const second = await connectAndInit();
    expect([first.outcome, second.outcome]).toEqual(['ack', 'ack']);
    const third = await rawSocket();
    expect((await third.closed).code).toBe(1013);
    first.raw.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await first.raw.next('next')).toMatchObject({ payload: { data: { __typename: 'Query' } } });
    first.raw.socket.close();
    await first.raw.closed;
    expect((await connectAndInit()).outcome).toBe('ack');
  });

  it('closes a socket beyond WS_MAX_CONNECTIONS_PER_CALLER with 4429, counting per caller', async () => {
    const other = TEST_SECRETS.wrongApiKey;
    const digests = [API_KEY, other].map((key) => createHash('sha256').update(key).digest('hex'));
    await start({
      security: { auth: { mode: 'apikey', keyDigests: digests } },
      webSocket: { maxConnectionsPerCaller: 1 },
    });
    const first = await connectAndInit({ 'x-api-key': API_KEY });
    expect(first.outcome).toBe('ack');
    const second = await connectAndInit({ 'x-api-key': API_KEY });
    expect(second.outcome).toMatchObject({ code: 4429 });
    expect((await connectAndInit({ 'x-api-key': other })).outcome).toBe('ack');
    first.raw.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect(await first.raw.next('next')).toMatchObject({ payload: { data: { __typename: 'Query' } } });
    first.raw.socket.close();
    await first.raw.closed;
    await eventually(
      async () => (await connectAndInit({ 'x-api-key': API_KEY })).outcome === 'ack',
      'the caller never got its connection back',
    );
  });

  it('closes with 4400 a connection_init payload over 16 kB, before any authentication', async () => {
    await start();
    const { outcome } = await connectAndInit({ 'x-api-key': 'k', padding: 'x'.repeat(16_384) });
    expect(outcome).toMatchObject({ code: 4400 });
    expect((await connectAndInit({ padding: 'x'.repeat(15_000) })).outcome).toBe('ack');
  });
});

describe('the upgrade', () => {
  /** Sends `request` on a plain TCP connection and resolves with everything the server answers. */
  async function rawHttp(request: string): Promise<string> {
    const port = (server.address() as AddressInfo).port;
    const socket = connect(port, '127.0.0.1');
    socket.write(request);
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await once(socket, 'close');
    return text;
  }

  it('answers any upgrade but a WebSocket on /graphql as the plain HTTP/1.1 request it is', async () => {
    await start();
    const h2c = 'Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n';
    const health = await rawHttp(`GET /healthz HTTP/1.1\r\nHost: localhost\r\n${h2c}\r\n`);
    expect(health).toMatch(/^HTTP\/1\.1 200 /);
    const body = JSON.stringify({ query: '{ __typename }' });
    const post = await rawHttp(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\n${h2c}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(post).toMatch(/^HTTP\/1\.1 200 /);
    expect(post).toContain('{"data":{"__typename":"Query"}}');
    const websocketElsewhere = await rawHttp(
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(websocketElsewhere).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('logs a broken frame as one line, not a stack on stderr, and closes with 1007', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
          done();
        },
      }),
    );
    await start({ webSocket: { logger } });
    const printed: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => printed.push(args);
    try {
      const raw = await rawSocket();
      // A text frame that is not UTF-8.
      (raw.socket as unknown as { _socket: { write(data: Buffer): void } })._socket.write(
        Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28]),
      );
      expect((await raw.closed).code).toBe(1007);
    } finally {
      console.error = original;
    }
    expect(printed).toEqual([]);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'WebSocket client sent a frame refused', code: 'WS_ERR_INVALID_UTF8' }),
    ]);
  });
});

/** Sockets open on the test's server. */
function endpointSockets(): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('every error reads the same over HTTP, SSE and WebSocket', () => {
  /** Every result of one operation over SSE, as graphql-sse clients read them. */
  async function overSse(query: string, variables?: Record<string, unknown>): Promise<Result[]> {
    const results: Result[] = [];
    for await (const result of sseIterate(variables?.jobId as string, query, variables)) results.push(result);
    return results;
  }

  /** Every result of one operation over WebSocket: each `next`, or the `error` message's errors. */
  async function overWebSocket(query: string, variables?: Record<string, unknown>): Promise<Result[]> {
    const raw = await rawSocket();
    raw.send({ type: 'connection_init' });
    await raw.next('connection_ack');
    raw.send({ id: 'op', type: 'subscribe', payload: { query, variables } });
    const results: Result[] = [];
    for (;;) {
      const message = await raw.next('*');
      if (message.type === 'next') results.push(message.payload as Result);
      else if (message.type === 'error') results.push({ errors: message.payload as Result['errors'] });
      if (message.type !== 'next') break;
    }
    raw.socket.close();
    return results;
  }

  /** The upstream's own request id differs from call to call; everything else must match. */
  const comparable = (results: Result[]) =>
    JSON.parse(JSON.stringify(results, (key, value) => (key === 'requestId' ? undefined : value))) as Result[];

  const FAILING_QUERIES: Array<[string, string, Record<string, unknown>?]> = [
    [
      "a query where one job fails (the README's partial results)",
      '{ trainingJobs(jobIds: ["job-complete", "fault-403"]) { jobId status operations(limit: 3) { totalCount } } }',
    ],
    ['an unknown jobId', 'query ($jobId: ID!) { trainingJob(jobId: $jobId) { status } }', { jobId: 'no-such-job' }],
    ['a Unicode jobId', 'query ($jobId: ID!) { trainingJob(jobId: $jobId) { status } }', { jobId: 'задача-7' }],
    ['a whitespace-only jobId', 'query ($jobId: ID!) { trainingJob(jobId: $jobId) { status } }', { jobId: ' \t ' }],
    ['a mutation the schema lacks', 'mutation { x }'],
  ];

  it.each(FAILING_QUERIES)('%s', async (_name, query, variables) => {
    await start();
    const http = (await h.query(query, variables)) as Result;
    expect(http.errors?.length, JSON.stringify(http)).toBeGreaterThan(0);
    expect(comparable(await overSse(query, variables))).toEqual(comparable([http]));
    expect(comparable(await overWebSocket(query, variables))).toEqual(comparable([http]));
  });

  it.each([
    ['upstream 403', 'fault-403'],
    ['upstream 404', 'no-such-job'],
    ['upstream 503 after SUBSCRIPTION_MAX_FAILURES', 'fault-503'],
  ])('a subscription whose %s', async (_name, jobId) => {
    await start({ live: { maxFailures: 1 }, client: { retries: 0 } });
    const sse = await overSse(EVENTS, { jobId });
    expect(sse).toHaveLength(1);
    expect(sse[0]!.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    expect(comparable(await overWebSocket(EVENTS, { jobId }))).toEqual(comparable(sse));
  });
});

/** An SSE subscription through the same app, read the way graphql-sse clients read it. */
function sseIterate(
  jobId: string,
  query = EVENTS,
  variables: Record<string, unknown> = { jobId },
  headers: Record<string, string> = {},
) {
  const response = h.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  let reader: ReadableStreamDefaultReader<string> | undefined;
  let buffered = '';
  const results: AsyncIterableIterator<Result> = {
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
  return results;
}
