// MAX_BODY_BYTES: a body that declares itself too large is refused with 413
// before any of it is read, and one that declares no length (chunked) is cut
// off with 413 once it runs over. yoga's own limit (maxRequestBodySize, off in
// secureYoga) counts every body through a TransformStream, and that pipeline
// (an AbortController, a DOMException and its stack per request) cost about
// 4 % of a query's CPU; node's HTTP parser already reads exactly the declared
// Content-Length, so only bodies without one are counted.
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { limitExceeded } from './limitExceeded.js';

const bodyTooLarge = (maxBodyBytes: number) =>
  limitExceeded('MAX_BODY_BYTES', `The request body is larger than ${maxBodyBytes} bytes`, 413);

/** Only one non-negative integer is a Content-Length (several joined by commas is a smuggling attempt). */
const CONTENT_LENGTH = /^\d+$/;

/** `request` with its body cut off by `tooLarge` once it runs over `maxBodyBytes`. */
function countedBody(
  request: Request,
  maxBodyBytes: number,
  fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream },
): Request {
  const body = request.body;
  if (!body) return request;
  // A native ReadableStream needs the native TransformStream, not the fetch ponyfill's (graphql-yoga#4583).
  const Transform = body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  let read = 0;
  const counted = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBodyBytes) controller.error(bodyTooLarge(maxBodyBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    duplex: 'half',
  } as RequestInit);
}

export function useBodyLimit(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!CONTENT_LENGTH.test(declared)) {
          throw createGraphQLError('Content-Length header is invalid.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        if (Number(declared) > maxBodyBytes) throw bodyTooLarge(maxBodyBytes);
        return;
      }
      if (requestParser && request.body)
        setRequestParser((req) => requestParser(countedBody(req, maxBodyBytes, fetchAPI)));
    },
  };
}
