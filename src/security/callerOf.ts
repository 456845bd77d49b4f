// Who is asking, for limits per caller: who authentication found (JWT subject
// or API key), else the client address.
import type { IncomingMessage } from 'node:http';
import { authenticatedCaller } from './useAuth.js';

export function callerOf(request: Request, serverContext: unknown): string {
  return (
    authenticatedCaller(request) ??
    `address:${(serverContext as { req?: IncomingMessage }).req?.socket?.remoteAddress ?? 'unknown'}`
  );
}
