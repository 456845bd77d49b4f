// GraphQL over WebSocket on /graphql, beside yoga's HTTP on the same port: the
// graphql-transport-ws protocol (graphql-ws on ws), which Apollo Client and
// Apollo Router speak. Each operation runs through the app exactly as an HTTP
// request does: a POST /graphql asking for text/event-stream, carrying the
// upgrade request's headers and the credentials sent in connection_init. So
// authentication, the caller rate limit, persisted operations, every limit,
// the request log and the metrics apply to it unchanged; this file translates
// between the two protocols, and owns what belongs to sockets alone: which
// upgrades are served, how many sockets, and the life of their credentials.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { answerAsHttp } from './answerAsHttp.js';
import { schema } from './schema/index.js';
import type { AdmitWebSocket } from './security/admitWebSocket.js';
import { callerOf } from './security/callerOf.js';
import { atTime, CREDENTIALS_EXPIRED, expiryOf } from './security/useCredentialExpiry.js';

interface WebSocketOptions {
  /** Largest message accepted (MAX_BODY_BYTES); a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** How often each socket is pinged; one that misses its pong is closed. Default 12 s. */
  keepAliveMs?: number;
  /** WS_MAX_CONNECTIONS: open sockets in the process; a socket beyond it is closed with 1013. */
  maxConnections?: number;
  /** WS_MAX_CONNECTIONS_PER_CALLER: admitted sockets per caller; one beyond it is closed with 4429. */
  maxConnectionsPerCaller?: number;
  /** Whether a browser page from `origin` may open a socket (CORS_ORIGINS); refused ones get 403 at the upgrade. */
  allowOrigin?: (origin: string | null, host: string | null) => boolean;
  /** Where a client's broken frames are told (one line at info); nowhere without. */
  logger?: Logger;
}

export interface WebSocketEndpoint {
  /** Once every operation has ended (complete sent), closes every socket with 1001. */
  close(): Promise<void>;
}

/** Below 15 s: proxies commonly drop connections that stay silent for 30-60 s. */
const KEEP_ALIVE_MS = 12_000;
/** Enough for any credentials (a JWT of a few kB); a larger connection_init payload closes the socket with 4400. */
export const MAX_INIT_PAYLOAD_BYTES = 16_384;
/** Credentials a client may send in connection_init's payload, at its top level or under `headers`. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);
/** Headers of the upgrade request that describe the handshake, not the operations. */
const HANDSHAKE_HEADERS =
  /^(?:connection|upgrade|sec-websocket-.*|content-length|content-type|accept|transfer-encoding)$/i;
/**
 * graphql-ws picks execute or subscribe by the operation in `document`; both
 * hand over the stream the app answers with, so any one-operation document does.
 */
const STREAMED = parse('{ __typename }');
const EXPIRED: GraphQLFormattedError = { message: CREDENTIALS_EXPIRED, extensions: { code: 'UNAUTHENTICATED' } };

/** What the transport needs of the app (app.ts's App): its admission check and its fetch. */
interface WebSocketApp {
  admitWebSocket: AdmitWebSocket;
  /** The server context carries the upgrade request (`{ req }`), which the app's types do not declare. */
  fetch(request: Request, serverContext: never): Response | Promise<Response>;
}

interface Streamed {
  stream: EventStreamResults;
}

/** What an admitted socket keeps: its caller and credentials (not the rest of connection_init), its operations. */
interface Connection {
  caller: string;
  credentials: Record<string, string>;
  streams: Set<EventStreamResults>;
  /** Cancels the close at the credential's expiry. */
  expiry?: () => void;
}

export function serveWebSocket(server: Server, app: WebSocketApp, options: WebSocketOptions): WebSocketEndpoint {
  const { maxConnections = Number.POSITIVE_INFINITY, maxConnectionsPerCaller = Number.POSITIVE_INFINITY } = options;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  const perCaller = new Map<string, number>();
  /** Operations under way, from subscribe to complete (or to their refusal). */
  let running = 0;
  let drained: (() => void) | undefined;
  const ended = () => {
    running--;
    if (running === 0) drained?.();
  };

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== '/graphql' || request.headers.upgrade?.toLowerCase() !== 'websocket') {
      answerAsHttp(server, request, socket, head);
      return;
    }
    if (options.allowOrigin && !options.allowOrigin(request.headers.origin ?? null, request.headers.host ?? null)) {
      const body = 'This origin may not connect (CORS_ORIGINS)\n';
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      // The new one counts: sockets.clients already holds it.
      if (sockets.clients.size > maxConnections) webSocket.close(1013, 'Too many connections; try again later');
      else sockets.emit('connection', webSocket, request);
    });
  };
  server.on('upgrade', upgrade);

  const endpoint = useServer<Record<string, unknown>>(
    {
      schema,
      async onConnect(ctx) {
        const { extra, connectionParams } = ctx;
        const refuse = (code: number, reason: string) => {
          extra.socket.close(code, reason);
          return false;
        };
        if (connectionParams && Buffer.byteLength(JSON.stringify(connectionParams)) > MAX_INIT_PAYLOAD_BYTES) {
          return refuse(4400, `The connection_init payload is larger than ${MAX_INIT_PAYLOAD_BYTES} bytes`);
        }
        const credentials = credentialsOf(connectionParams);
        // Dropped once read: a socket keeps only the credentials it was admitted with.
        delete (ctx as { connectionParams?: unknown }).connectionParams;
        const request = operationRequest(extra.request, credentials);
        const serverContext: { req: IncomingMessage; jwt?: { payload?: { exp?: unknown } } } = { req: extra.request };
        const refusal = await app.admitWebSocket(request, serverContext);
        if (refusal) return refuse(refusal.code, refusal.reason);
        const caller = callerOf(request, serverContext);
        const count = perCaller.get(caller) ?? 0;
        if (count >= maxConnectionsPerCaller) {
          return refuse(
            4429,
            `This caller already has ${count} open connections (limit WS_MAX_CONNECTIONS_PER_CALLER)`,
          );
        }
        if (extra.socket.readyState !== extra.socket.OPEN) return false;
        perCaller.set(caller, count + 1);
        const connection: Connection = { caller, credentials, streams: new Set() };
        connections.set(extra.socket, connection);
        extra.socket.once('close', () => {
          connection.expiry?.();
          const left = (perCaller.get(caller) ?? 1) - 1;
          if (left > 0) perCaller.set(caller, left);
          else perCaller.delete(caller);
        });
        const expiresAt = expiryOf(serverContext);
        if (expiresAt !== undefined) {
          connection.expiry = atTime(expiresAt, () => void expire(connection, extra.socket));
        }
        return true;
      },
      onSubscribe({ extra }, _id, payload) {
        const connection = connections.get(extra.socket);
        // graphql-ws refuses a subscribe before connection_ack itself; never run one past the app.
        if (!connection) throw new Error('An operation on a socket that was not admitted');
        running++;
        const cancel = new AbortController();
        const request = operationRequest(extra.request, connection.credentials, JSON.stringify(payload), cancel.signal);
        // Not awaited: the operation is graphql-ws's to end (complete, close) from this moment on.
        const stream = new EventStreamResults(
          Promise.resolve(app.fetch(request, { req: extra.request } as never)),
          cancel,
          () => connection.streams.delete(stream),
        );
        connection.streams.add(stream);
        const rootValue: Streamed = { stream };
        return { schema, document: STREAMED, rootValue };
      },
      execute: (args) => (args.rootValue as Streamed).stream,
      subscribe: (args) => (args.rootValue as Streamed).stream,
      // The app's results are JSON already: they go out as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result,
      onError: (_ctx, _id, _payload, errors) =>
        errors.flatMap((error) =>
          error.originalError instanceof OperationErrors ? error.originalError.errors : [error.toJSON()],
        ),
      onComplete: ended,
    },
    sockets,
    options.keepAliveMs ?? KEEP_ALIVE_MS,
  );

  sockets.on('connection', (socket) => {
    // A client's broken frame (too large, invalid UTF-8, bad opcode) is the client's
    // problem: ws closes with 1009 or 1007; one log line, instead of graphql-ws's stack on stderr.
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) => {
      options.logger?.info({ code: error.code, reason: error.message }, 'WebSocket client sent a frame refused');
    });
  });

  /** At the credential's expiry: each operation ends with UNAUTHENTICATED, then the socket closes with 4401. */
  async function expire(connection: Connection, socket: WebSocket): Promise<void> {
    await Promise.all([...connection.streams].map((stream) => stream.fail([EXPIRED])));
    // graphql-ws sends each `error` once its stream has thrown: let them go out before the close frame.
    await new Promise((resolve) => setImmediate(resolve));
    socket.close(4401, 'The credentials expired');
  }

  return {
    async close() {
      server.off('upgrade', upgrade);
      if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
      // graphql-ws sends `complete` right after onComplete: let it go out before the close frame.
      await new Promise((resolve) => setImmediate(resolve));
      await endpoint.dispose();
    },
  };
}

/** The credential headers in connection_init's payload, at its top level or under `headers`. */
function credentialsOf(connectionParams: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const credentials: Record<string, string> = {};
  const nested = connectionParams?.headers;
  for (const source of [connectionParams, typeof nested === 'object' && nested !== null ? nested : undefined]) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (typeof value === 'string' && CREDENTIAL_HEADERS.has(name.toLowerCase())) credentials[name] = value;
    }
  }
  return credentials;
}

/** The HTTP request an operation becomes: the upgrade request's headers, the connection's credentials, and the payload. */
function operationRequest(
  upgrade: IncomingMessage,
  credentials: Record<string, string>,
  body = '{}',
  signal?: AbortSignal,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upgrade.headers)) {
    if (value !== undefined && !HANDSHAKE_HEADERS.test(name))
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  for (const [name, value] of Object.entries(credentials)) headers.set(name, value);
  headers.set('content-type', 'application/json');
  headers.set('accept', 'text/event-stream');
  return new Request('http://localhost/graphql', { method: 'POST', headers, body, signal });
}

/**
 * An operation's errors without data: refused before it ran (GraphQL's request
 * errors), or ended by its credential's expiry. graphql-ws sends them as the
 * operation's `error` message, as they are.
 */
class OperationErrors extends Error {
  constructor(readonly errors: readonly GraphQLFormattedError[]) {
    super(errors[0]?.message ?? 'The operation failed');
  }
}

/**
 * The results of one operation, read from the app's text/event-stream answer
 * (or its JSON answer, when it refused before streaming). Returning early
 * aborts the request, which ends the operation in the app at once, as a client
 * going away does over HTTP, whether its answer has begun or not.
 */
class EventStreamResults implements AsyncIterableIterator<ExecutionResult> {
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private json: ExecutionResult | null = null;
  private readonly decoder = new TextDecoder();
  private buffered = '';
  private done = false;
  /** Settles when the operation is ended from outside: done by return(), rejected by fail(). */
  private readonly interrupted: Promise<IteratorResult<ExecutionResult>>;
  private interrupt!: (outcome: IteratorResult<ExecutionResult> | OperationErrors) => void;
  private finished = false;
  private settled!: () => void;
  /** Resolves once the operation has ended, and the consumer been told. */
  private readonly ended = new Promise<void>((resolve) => (this.settled = resolve));

  constructor(
    private readonly response: Promise<Response>,
    private readonly cancel: AbortController,
    private readonly onEnd: () => void,
  ) {
    this.interrupted = new Promise((resolve, reject) => {
      this.interrupt = (outcome) => (outcome instanceof OperationErrors ? reject(outcome) : resolve(outcome));
    });
    this.interrupted.catch(() => undefined);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    try {
      const result = await Promise.race([this.read(), this.interrupted]);
      if (!result.done && result.value.errors && !('data' in result.value)) {
        throw new OperationErrors(result.value.errors);
      }
      if (result.done) this.end();
      return result;
    } catch (error) {
      this.end();
      throw error;
    }
  }

  /** Ends the operation with `errors` as its last message; resolves once the consumer has them. */
  fail(errors: readonly GraphQLFormattedError[]): Promise<void> {
    if (!this.finished) {
      this.interrupt(new OperationErrors(errors));
      this.abort();
    }
    return this.ended;
  }

  /** The consumer leaves early (the client completed the operation or went away). */
  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.interrupt({ value: undefined, done: true });
    this.end();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    this.abort();
    this.onEnd();
    this.settled();
  }

  private abort(): void {
    if (this.done) return;
    this.done = true;
    this.cancel.abort();
    void this.reader?.cancel().catch(() => undefined);
  }

  private async read(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.reader && !this.json) {
      const response = await this.response;
      const streamed = response.headers.get('content-type')?.startsWith('text/event-stream') && response.body;
      if (streamed) this.reader = response.body.getReader();
      else {
        this.json = (await response.json()) as ExecutionResult;
        return { value: this.json, done: false };
      }
    }
    if (this.json) return { value: undefined, done: true };
    while (!this.done) {
      const end = this.buffered.indexOf('\n\n');
      if (end < 0) {
        const { value, done } = await this.reader!.read();
        if (done) break;
        this.buffered += this.decoder.decode(value, { stream: true });
        continue;
      }
      const block = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      // Blocks without an event are keep-alive comments.
      const event = /^event: ?(.*)$/m.exec(block)?.[1];
      if (event === 'complete') break;
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (event === 'next' && data) return { value: JSON.parse(data) as ExecutionResult, done: false };
    }
    return { value: undefined, done: true };
  }
}
