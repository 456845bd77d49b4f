// A request that asks to upgrade to anything but a WebSocket on /graphql (curl
// --http2 sends `Upgrade: h2c` with every request) is answered as the plain
// HTTP/1.1 request it also is. Node hands every request carrying an Upgrade
// header to the 'upgrade' listeners, with the body left on the socket: this
// gives it back to the server's request handler, the body fed from the socket,
// and closes the connection after the response.
import { IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export function answerAsHttp(server: Server, request: IncomingMessage, socket: Duplex, head: Buffer): void {
  if (request.headers['transfer-encoding'] !== undefined) {
    // A chunked body would need the HTTP parser that Node has already let go of.
    socket.end('HTTP/1.1 411 Length Required\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  // Node has ended the upgrade request's body: a copy of it carries the body.
  const plain = new IncomingMessage(socket as Socket);
  Object.assign(plain, {
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    httpVersionMajor: request.httpVersionMajor,
    httpVersionMinor: request.httpVersionMinor,
    headers: request.headers,
    rawHeaders: request.rawHeaders,
  });
  const response = new ServerResponse(plain);
  response.shouldKeepAlive = false;
  response.assignSocket(socket as Socket);
  response.once('finish', () => {
    response.detachSocket(socket as Socket);
    socket.end();
  });
  socket.once('error', () => socket.destroy());
  // As for any request: one that does not finish within requestTimeout is dropped.
  if (server.requestTimeout > 0) (socket as Socket).setTimeout?.(server.requestTimeout, () => socket.destroy());
  let left = Number(request.headers['content-length'] ?? 0) || 0;
  const feed = (chunk: Buffer) => {
    const part = chunk.subarray(0, left);
    left -= part.length;
    if (part.length > 0) plain.push(part);
    if (left <= 0) {
      socket.off('data', feed);
      // Else, once read, the message counts as aborted and takes the socket down with it.
      plain.complete = true;
      plain.push(null);
    }
  };
  feed(head);
  if (left > 0) socket.on('data', feed);
  server.emit('request', plain, response);
}
