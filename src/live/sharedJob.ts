// One watched job on this replica while replicas share pollers through Redis.
// The replica holding the job's lease polls it and relays each state it reads;
// every replica, the holder included, hands its subscribers what is new in each
// state by position in the log, so each operation reaches each subscriber once
// and in order, whichever replica polled it and whatever arrived twice. The
// others try for the lease at every renewal and read the job's last state then:
// a lost message costs a renewal's delay, and a new holder polls on from what it
// has seen. With Redis down the replica polls the job itself, as in one process,
// and goes back to the lease when Redis answers.
import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { JobSharing } from '../cluster/clusterState.js';
import { LOST, type RelayMessage } from '../cluster/jobRelay.js';
import { DOWN } from '../cluster/redisLink.js';
import type { OperationLog } from '../upstream/opLogPage.js';
import {
  endListeners,
  type JobEvent,
  type JobPoller,
  type PollerListener,
  type PollerSeed,
  type Timers,
  type WatchedJob,
} from './jobPoller.js';
import type { TrainingJobStatus } from './jobStatus.js';
import { endOf, type LogSnapshot, newest, trimmed } from './logSnapshot.js';

/** Renewals per lease: a holder that misses five in a row, by a pause or a slow Redis, loses it. */
const RENEWALS_PER_LEASE = 6;

/** A job's state as its poller read it, as the relay carries it: the log snapshot and the status it gives. */
export interface RelayedState {
  snapshot: LogSnapshot;
  status: TrainingJobStatus | null;
  /** The log was replaced (its count went down): subscribers start over from its newest operations. */
  replaced?: true;
}

interface SharedJobOptions {
  jobId: string;
  sharing: JobSharing<RelayedState>;
  /** A poller of this job that starts from `seed`, or reads the log when there is none. */
  newPoller: (seed: PollerSeed | undefined) => JobPoller;
  timers: Timers;
  /** How long a lease lasts unrenewed; a dead holder's job is polled again within this and one renewal (7/6 of it). */
  leaseMs: number;
  /** Called once when the job is no longer watched here, whatever the reason. */
  onStop: () => void;
}

/** holder: polls for the cluster; follower: another replica does; alone: Redis is down, polls for itself. */
type Role = 'holder' | 'follower' | 'alone';

export class SharedJob implements WatchedJob {
  private readonly listeners = new Set<PollerListener>();
  private readonly token = randomUUID();
  /** The state last handed to subscribers; null until there is one. */
  private current: PollerSeed | null = null;
  /** The position just after the newest operation handed to subscribers. */
  private position = 0;
  /** The version of the newest relayed message taken in. */
  private version = 0;
  private role: Role = 'follower';
  private poller: { poller: JobPoller; unsubscribe: () => void } | null = null;
  /** Poller events in the order the poller gave them, each published before the next. */
  private outbox = Promise.resolve();
  private messages: AsyncIterableIterator<RelayMessage<RelayedState>> | undefined;
  private timer: unknown;
  private stopped = false;

  constructor(private readonly options: SharedJobOptions) {}

  subscribe(listener: PollerListener): () => void {
    this.listeners.add(listener);
    if (this.current)
      listener.event({ jobId: this.options.jobId, ...this.current, newOperations: newest(this.current.snapshot) });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  start(): void {
    void this.listen();
    void this.claim();
  }

  private async listen(): Promise<void> {
    this.messages = this.options.sharing.relay.subscribe(this.options.jobId);
    for await (const message of this.messages) this.receive(message);
  }

  /** Takes or renews the lease (reading the last state meanwhile), then polls, follows or polls alone. */
  private async claim(): Promise<void> {
    this.timer = undefined;
    const { jobId, leaseMs, sharing } = this.options;
    const claim = await sharing.leases.claim(jobId, this.token, leaseMs, this.version);
    if (this.stopped) {
      if (claim !== DOWN && claim.held) void sharing.leases.release(jobId, this.token);
      return;
    }
    if (claim === DOWN) {
      this.become('alone');
    } else {
      // Taken in before a new holder's poller starts from what this replica has.
      if (claim.state) this.receive(JSON.parse(claim.state) as RelayMessage<RelayedState>);
      if (this.stopped) return;
      this.become(claim.held ? 'holder' : 'follower');
    }
    this.timer = this.options.timers.setTimeout(() => void this.claim(), leaseMs / RENEWALS_PER_LEASE);
  }

  private become(role: Role): void {
    this.role = role;
    if (role === 'follower') {
      this.poller?.unsubscribe();
      this.poller = null;
    } else if (!this.poller) {
      const poller = this.options.newPoller(this.current ?? undefined);
      const unsubscribe = poller.subscribe({
        event: (event) => this.queue(() => this.forward(poller, event)),
        end: (error) => this.queue(() => this.pollerEnded(poller, error)),
        polled: (calls) => {
          for (const listener of [...this.listeners]) listener.polled(calls);
        },
      });
      this.poller = { poller, unsubscribe };
      poller.start();
    }
  }

  private queue(task: () => Promise<void>): void {
    this.outbox = this.outbox.then(task);
  }

  /** A state this replica's poller read: relayed while it holds the lease, handed out here in any case. */
  private async forward(poller: JobPoller, event: JobEvent): Promise<void> {
    if (this.poller?.poller !== poller || this.stopped) return;
    const state: RelayedState = {
      snapshot: trimmed(event.snapshot),
      status: event.status,
      ...(event.replaced ? { replaced: true } : {}),
    };
    // A seeded poller's first event is the state it was given.
    if (this.newSince(state) === null) return;
    if (this.role === 'holder') {
      const { jobId, leaseMs, sharing } = this.options;
      const version = await sharing.relay.publish(jobId, this.token, state, 2 * leaseMs);
      if (version === LOST) return this.become('follower');
      if (version !== DOWN) return this.receive({ ...state, version });
      this.role = 'alone';
    }
    this.apply(state);
  }

  private async pollerEnded(poller: JobPoller, error?: GraphQLError): Promise<void> {
    if (this.poller?.poller !== poller || this.stopped) return;
    this.poller = null;
    // Completion reached the subscribers with the COMPLETED state; an error ends every replica's.
    if (!error) return;
    if (this.role === 'holder') {
      const extensions = { ...error.extensions };
      await this.options.sharing.relay.publish(
        this.options.jobId,
        this.token,
        { error: { message: error.message, extensions } },
        0,
      );
    }
    this.finish(error);
  }

  /** A relayed message: taken in once, in version order, whichever way it came. */
  private receive(message: RelayMessage<RelayedState>): void {
    if (this.stopped || message.version <= this.version) return;
    this.version = message.version;
    if ('error' in message)
      this.finish(createGraphQLError(message.error.message, { extensions: message.error.extensions }));
    else this.apply(message);
  }

  private apply(state: RelayedState): void {
    const newOperations = this.newSince(state);
    if (newOperations === null) return;
    const { snapshot, status } = state;
    this.current = { snapshot, status };
    this.position = endOf(snapshot);
    const event: JobEvent = { jobId: this.options.jobId, snapshot, status, newOperations };
    for (const listener of [...this.listeners]) listener.event(event);
    if (status === 'COMPLETED') this.finish();
  }

  /**
   * What the subscribers have not had of `state`: the newest operations when
   * they start over (a first state, or a replaced log), those past the position
   * they have had, or null when it holds nothing new (an older or repeated state).
   */
  private newSince({ snapshot, replaced }: RelayedState): readonly OperationLog[] | null {
    if (this.current === null || replaced) return newest(snapshot);
    const end = endOf(snapshot);
    if (end < this.position || (end === this.position && snapshot.count === this.current.snapshot.count)) return null;
    const last = snapshot.segments.at(-1);
    // Past what the state holds: more operations were missed than a page; the rest are lost.
    return last ? last.operations.slice(Math.max(0, this.position - last.offset)) : [];
  }

  private finish(error?: GraphQLError): void {
    endListeners(this.listeners, () => this.stop(), error);
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.poller?.unsubscribe();
    this.poller = null;
    void this.messages?.return?.();
    if (this.role === 'holder') void this.options.sharing.leases.release(this.options.jobId, this.token);
    this.options.onStop();
  }
}
