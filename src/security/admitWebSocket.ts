// Who may open a GraphQL WebSocket: a page from an allowed origin, with the
// credentials AUTH_MODE asks for (in the upgrade request's headers or in
// connection_init). Each operation on the socket is then checked again as any
// HTTP request is.
import type { GraphQLError } from 'graphql';
import { allowsOrigin } from './cors.js';
import type { SecurityOptions } from './policy.js';
import type { Authenticate } from './useAuth.js';

/**
 * Why a connection is refused, as its close code: 4401 without acceptable
 * credentials; 4403 from an origin not allowed, or for credentials with no app
 * user id while scoping is on (FORBIDDEN over HTTP).
 */
interface Refusal {
  code: 4401 | 4403;
  reason: string;
}

export type AdmitWebSocket = (request: Request, serverContext: object) => Promise<Refusal | null>;

export function admitWebSocket(security: SecurityOptions, authenticate: Authenticate): AdmitWebSocket {
  return async (request, serverContext) => {
    const { headers } = request;
    if (!allowsOrigin(headers.get('origin'), headers.get('host'), security.corsOrigins, security.production)) {
      return { code: 4403, reason: 'This origin may not connect (CORS_ORIGINS)' };
    }
    try {
      await authenticate(request, serverContext);
    } catch (error) {
      const forbidden = (error as GraphQLError).extensions?.code === 'FORBIDDEN';
      return { code: forbidden ? 4403 : 4401, reason: (error as Error).message };
    }
    return null;
  };
}
