// What job pollers and live subscriptions report, on node:diagnostics_channel,
// for metrics and the request log.
import { Channel } from '../upstream/events.js';

/** One poll: one upstream call (a first read makes up to two). */
export interface PollEvent {
  jobId: string;
  /** `changed`: new operations or a new count; `failed`: the call failed (the poller may retry). */
  outcome: 'changed' | 'unchanged' | 'failed';
  /** Upstream calls it made. */
  calls: number;
}

/** A subscription ended. */
interface SubscriptionEndEvent {
  /** Whoever opened it (the app passes the HTTP request), as upstream events carry theirs. */
  requester?: object | undefined;
  /** Calls its job's poller made while it was subscribed, shared with the job's other subscribers. */
  pollCalls: number;
}

export const liveEvents = {
  poll: new Channel<PollEvent>('metastudio:live:poll'),
  subscriptionEnd: new Channel<SubscriptionEndEvent>('metastudio:live:subscription-end'),
};
