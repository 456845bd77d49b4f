// What the shared-state layer reports, on node:diagnostics_channel like the
// upstream events: logs and metrics subscribe, the cluster code never imports them.
import { Channel } from '../upstream/events.js';

/** Redis went down (a command failed or timed out) or came back (a command answered). */
export interface RedisStateEvent {
  /** The replica whose link changed state (one per process, several in tests). */
  replicaId: string;
  up: boolean;
  /** Why it counts as down: the failed command's error message. */
  reason?: string;
}

/**
 * A page the in-process cache did not have, at the shared level: `hit` kept in
 * Redis, `waited` fetched meanwhile by another replica, `fetched` by this one and
 * shared, `alone` fetched by this one without the others waiting for it (Redis
 * down, or another replica's fetch failed or took too long).
 */
export interface SharedPageEvent {
  outcome: 'hit' | 'waited' | 'fetched' | 'alone';
}

export const clusterEvents = {
  redis: new Channel<RedisStateEvent>('metastudio:cluster:redis'),
  sharedPage: new Channel<SharedPageEvent>('metastudio:cluster:shared-page'),
};
