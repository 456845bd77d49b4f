// GraphQL over WebSocket on /graphql, beside yoga's HTTP on the same port: the
// graphql-transport-ws protocol (graphql-ws on ws), which Apollo Client and
// Apollo Router speak. Each operation runs through the app exactly as an HTTP
// request does: a POST /graphql asking for text/event-stream, carrying the
// upgrade request's headers and the credentials sent in connection_init. So
// authentication, the caller rate limit, persisted operations, every limit,
// the request log and the metrics apply to it unchanged; this file only
// translates between the two protocols.
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { schema } from './schema/index.js';
import type { AdmitWebSocket } from './security/admitWebSocket.js';

interface WebSocketOptions {
  /** Largest message accepted (MAX_BODY_BYTES); a larger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** How often each socket is pinged; one that misses its pong is closed. Default 12 s. */
  keepAliveMs?: number;
}

export interface WebSocketEndpoint {
  /** Once every operation has ended (complete sent), closes every socket with 1001. */
  close(): Promise<void>;
}

/** Below 15 s: proxies commonly drop connections that stay silent for 30-60 s. */
const KEEP_ALIVE_MS = 12_000;
/** Credentials a client may send in connection_init's payload, at its top level or under `headers`. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);
/** Headers of the upgrade request that describe the handshake, not the operations. */
const HANDSHAKE_HEADERS =
  /^(?:connection|upgrade|sec-websocket-.*|content-length|content-type|accept|transfer-encoding)$/i;
/**
 * graphql-ws picks execute or subscribe by the operation in `document`; both
 * hand over the stream the app already answered, so any one-operation document does.
 */
const STREAMED = parse('{ __typename }');

/** What the transport needs of the app (app.ts's App): its admission check and its fetch. */
interface WebSocketApp {
  admitWebSocket: AdmitWebSocket;
  /** The server context carries the upgrade request (`{ req }`), which the app's types do not declare. */
  fetch(request: Request, serverContext: never): Response | Promise<Response>;
}

interface Streamed {
  stream: EventStreamResults;
}

export function serveWebSocket(server: Server, app: WebSocketApp, options: WebSocketOptions): WebSocketEndpoint {
  const sockets = new WebSocketServer({ server, path: '/graphql', maxPayload: options.maxPayloadBytes });
  /** Operations under way, from subscribe to complete (or to their refusal). */
  let running = 0;
  let drained: (() => void) | undefined;
  const ended = () => {
    running--;
    if (running === 0) drained?.();
  };

  const endpoint = useServer<Record<string, unknown>>(
    {
      schema,
      async onConnect({ extra, connectionParams }) {
        const refusal = await app.admitWebSocket(operationRequest(extra.request, connectionParams), {
          req: extra.request,
        });
        if (!refusal) return true;
        extra.socket.close(refusal.code, refusal.reason);
        return false;
      },
      async onSubscribe({ extra, connectionParams }, _id, payload) {
        running++;
        let stream: EventStreamResults;
        try {
          const cancel = new AbortController();
          const request = operationRequest(extra.request, connectionParams, JSON.stringify(payload), cancel.signal);
          stream = new EventStreamResults(await app.fetch(request, { req: extra.request } as never), cancel);
          const first = await stream.peek();
          // No `data` at all: the operation was refused before it ran (GraphQL's request errors).
          if (!first.done && first.value.errors && !('data' in first.value)) {
            await stream.return();
            ended();
            return first.value.errors.map((error) => new GraphQLError(error.message, { extensions: error.extensions }));
          }
        } catch (error) {
          ended();
          throw error;
        }
        const rootValue: Streamed = { stream };
        return { schema, document: STREAMED, rootValue };
      },
      execute: (args) => (args.rootValue as Streamed).stream,
      subscribe: (args) => (args.rootValue as Streamed).stream,
      onComplete: ended,
    },
    sockets,
    options.keepAliveMs ?? KEEP_ALIVE_MS,
  );

  return {
    async close() {
      if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
      // graphql-ws sends `complete` right after onComplete: let it go out before the close frame.
      await new Promise((resolve) => setImmediate(resolve));
      await endpoint.dispose();
    },
  };
}

/** The HTTP request an operation becomes: the upgrade request's headers, the connection's credentials, and the payload. */
function operationRequest(
  upgrade: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  body = '{}',
  signal?: AbortSignal,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upgrade.headers)) {
    if (value !== undefined && !HANDSHAKE_HEADERS.test(name))
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const nested = connectionParams?.headers;
  for (const source of [connectionParams, typeof nested === 'object' && nested !== null ? nested : undefined]) {
    for (const [name, value] of Object.entries(source ?? {})) {
      if (typeof value === 'string' && CREDENTIAL_HEADERS.has(name.toLowerCase())) headers.set(name, value);
    }
  }
  headers.set('content-type', 'application/json');
  headers.set('accept', 'text/event-stream');
  return new Request('http://localhost/graphql', { method: 'POST', headers, body, signal });
}

/**
 * The results of one operation, read from the app's text/event-stream answer
 * (or its JSON answer, when it refused before streaming). Returning early
 * aborts the request, which ends the operation in the app at once, as a client
 * going away does over HTTP.
 */
class EventStreamResults implements AsyncIterableIterator<ExecutionResult> {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array> | null;
  private readonly decoder = new TextDecoder();
  private readonly json: Promise<ExecutionResult> | null;
  private buffered = '';
  private peeked: IteratorResult<ExecutionResult> | undefined;
  private done = false;

  constructor(
    response: Response,
    private readonly cancel: AbortController,
  ) {
    const streamed = response.headers.get('content-type')?.startsWith('text/event-stream') && response.body;
    this.reader = streamed ? response.body.getReader() : null;
    this.json = streamed ? null : (response.json() as Promise<ExecutionResult>);
  }

  /** Reads the first result now; next() still returns it. */
  async peek(): Promise<IteratorResult<ExecutionResult>> {
    this.peeked = await this.next();
    return this.peeked;
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.peeked) {
      const peeked = this.peeked;
      this.peeked = undefined;
      return peeked;
    }
    if (this.json) {
      if (this.done) return { value: undefined, done: true };
      const value = await this.json;
      this.done = true;
      return { value, done: false };
    }
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
    this.done = true;
    return { value: undefined, done: true };
  }

  /** The consumer leaves early (the client completed the operation or went away). */
  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.done) {
      this.done = true;
      this.cancel.abort();
      await this.reader?.cancel().catch(() => undefined);
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
