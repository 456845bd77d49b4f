// A request line with no HTTP version ("GET /graphql", HTTP/0.9 style) is
// accepted by node's parser, which then reads header lines after it all the
// same: a CR LF smuggled into a request target becomes a header of its own. No
// client of this API speaks HTTP/0.9, so such a request is refused with 400.
import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useHttp1(): Plugin<object, { req?: IncomingMessage }> {
  return {
    onRequestParse({ serverContext }) {
      // Over WebSocket, or through app.fetch, there is no node request to check.
      if (serverContext.req && serverContext.req.httpVersionMajor < 1) {
        throw createGraphQLError('The request line has no HTTP version: HTTP/1.0 or newer is required.', {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      }
    },
  };
}
