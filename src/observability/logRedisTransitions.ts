// One log line when Redis goes down and one when it is back, however many
// commands failed in between: warn with the reason, then info.
import type { Logger } from 'pino';
import { clusterEvents } from '../cluster/events.js';

/** Logs Redis outages until the returned function is called. */
export function logRedisTransitions(logger: Logger): () => void {
  return clusterEvents.redis.subscribe(({ up, reason }) => {
    if (up) logger.info({ redis: 'up' }, 'Redis answers again: state is shared across replicas again');
    else
      logger.warn(
        { redis: 'down', reason },
        "Redis does not answer: each replica uses its own share of the tenant's rate limit and its own cache until it does",
      );
  });
}
