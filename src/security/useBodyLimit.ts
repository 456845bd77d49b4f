// MAX_BODY_BYTES: a body that declares itself too large is refused with 413
// before any of it is read.
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from './limitExceeded.js';

export const bodyTooLarge = (maxBodyBytes: number) =>
  limitExceeded('MAX_BODY_BYTES', `The request body is larger than ${maxBodyBytes} bytes`, 413);

/**
 * yoga enforces the same maxRequestBodySize on the body stream (for chunked
 * bodies; useRequestParseErrors rewords its 413); this answers a declared
 * Content-Length first, before any of the body is read.
 */
export function useBodyLimit(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBodyBytes)
        throw bodyTooLarge(maxBodyBytes);
    },
  };
}
