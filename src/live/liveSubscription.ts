// One subscriber's stream of a job's events, as graphql-js iterates it. Items
// wait in a queue until read; the stream ends after its last item, or at once
// when the consumer returns (the client went away).
import type { GraphQLError } from 'graphql';
import type { JobEvent } from './jobPoller.js';
import { liveEvents } from './liveEvents.js';

/** An event to send, or the error that ends the subscription. */
export type LiveItem = { event: JobEvent } | { error: GraphQLError };

export class LiveSubscription implements AsyncIterableIterator<LiveItem> {
  /** Upstream calls its job's poller made while it was subscribed. */
  pollCalls = 0;
  private readonly queue: LiveItem[] = [];
  private waiting: ((result: IteratorResult<LiveItem>) => void) | undefined;
  private finished = false;

  /** `onFinish` runs once, when the stream ends for any reason; `requester` is told in its end event. */
  constructor(
    private readonly onFinish: () => void,
    private readonly requester?: object,
  ) {}

  push(item: LiveItem): void {
    if (this.finished) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting({ value: item, done: false });
    else this.queue.push(item);
  }

  /** Ends the stream after the items already queued, and after `error` when one is given. */
  finish(error?: GraphQLError): void {
    if (this.finished) return;
    if (error) this.push({ error });
    this.finished = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onFinish();
    liveEvents.subscriptionEnd.publish({ pollCalls: this.pollCalls, requester: this.requester });
  }

  next(): Promise<IteratorResult<LiveItem>> {
    const item = this.queue.shift();
    if (item) return Promise.resolve({ value: item, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveItem>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
