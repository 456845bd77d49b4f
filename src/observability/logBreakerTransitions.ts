// A log line for each change of the upstream circuit breaker: warn when it
// opens, info when it half-opens or closes again.
import type { Logger } from 'pino';
import { upstreamEvents } from '../upstream/events.js';

/** Logs breaker changes until the returned function is called. */
export function logBreakerTransitions(logger: Logger): () => void {
  return upstreamEvents.breaker.subscribe(({ state, previous }) => {
    logger[state === 'open' ? 'warn' : 'info']({ breaker: state, previous }, `upstream circuit breaker ${state}`);
  });
}
