// CSRF prevention: what a browser sends cross-site without a preflight must
// carry a header that a page on another site cannot set.
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';

/**
 * A request a browser sends cross-site without a preflight (GET, form-encoded,
 * multipart or text/plain) must carry one of these headers, which a page on
 * another site cannot set without CORS consent. JSON POSTs are preflighted anyway.
 * Apollo's clients and router send the apollo-* ones.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'x-apollo-operation-name'];

export function useCsrfPrevention(): Plugin {
  return useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
}
