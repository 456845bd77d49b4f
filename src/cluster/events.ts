// What the shared-state layer reports about Redis, on node:diagnostics_channel
// like the upstream events: logs and metrics subscribe, the cluster code never
// imports them.
import diagnosticsChannel from 'node:diagnostics_channel';

/** Redis went down (a command failed or timed out) or came back (a command answered). */
export interface RedisStateEvent {
  /** The replica whose link changed state (one per process, several in tests). */
  replicaId: string;
  up: boolean;
  /** Why it counts as down: the failed command's error message. */
  reason?: string;
}

const channel = diagnosticsChannel.channel('metastudio:cluster:redis');

export const redisStateEvents = {
  publish(event: RedisStateEvent): void {
    if (channel.hasSubscribers) channel.publish(event);
  },
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: RedisStateEvent) => void): () => void {
    const onMessage = (message: unknown) => listener(message as RedisStateEvent);
    channel.subscribe(onMessage);
    return () => channel.unsubscribe(onMessage);
  },
};
