// The request id that ties a request's log lines to the caller and to the
// upstream's own: the caller's x-request-id when it is safe to log and echo,
// else a fresh one, echoed on every answer.
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The client's x-request-id when it is safe to log and echo, else a fresh one. */
export function requestIdFrom(header: string | null): string {
  return header !== null && CLIENT_REQUEST_ID.test(header) ? header : randomUUID();
}

const ids = new WeakMap<Request, string>();

/** The request's id, the same one wherever and whenever it is asked for. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    id = requestIdFrom(request.headers.get('x-request-id'));
    ids.set(request, id);
  }
  return id;
}

export function useRequestId(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
