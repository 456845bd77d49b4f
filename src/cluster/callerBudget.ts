// CALLER_RATE_LIMIT's buckets: requests per second per caller, one second of
// burst. In process they live in an LRU, so memory stays bounded however many
// callers come (an evicted caller starts again with a full bucket). Shared through
// Redis, a caller's bucket is the cluster's, so round-robin over replicas gains
// nothing; while Redis is down each replica keeps its share of the rate.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { TokenBucket } from '../upstream/tokenBucket.js';
import { DOWN, type RedisLink } from './redisLink.js';
import type { ReplicaCount } from './replicaHeartbeat.js';
import { reserveScript, type Reservation, type ReserveRequest } from './reserveScript.js';

export interface CallerBudget {
  /** Takes one of the caller's tokens if one is there now: 0 when taken, else the milliseconds until one will be. */
  tryTake(caller: string): Promise<number>;
}

const MAX_TRACKED_CALLERS = 10_000;

export class LocalCallerBudget implements CallerBudget {
  private readonly buckets = new LRUCache<string, TokenBucket>({ max: MAX_TRACKED_CALLERS });

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  async tryTake(caller: string): Promise<number> {
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      // A full bucket allows a one-second burst.
      bucket = new TokenBucket({ ratePerSecond: this.perSecond, burst: Math.max(1, this.perSecond), now: this.now });
      this.buckets.set(caller, bucket);
    }
    return bucket.tryTake();
  }
}

interface SharedCallerBudgetOptions {
  perSecond: number;
  replicas: ReplicaCount;
  now?: () => number;
}

export class SharedCallerBudget implements CallerBudget {
  private readonly reserve: (key: string, request: ReserveRequest) => Promise<Reservation>;
  /** This replica's own buckets while Redis is down, at its share of the rate. */
  private fallback: LocalCallerBudget | null = null;

  constructor(
    private readonly link: RedisLink,
    private readonly options: SharedCallerBudgetOptions,
  ) {
    this.reserve = reserveScript(link);
  }

  async tryTake(caller: string): Promise<number> {
    const { perSecond } = this.options;
    // Hashed: caller names are as long as a JWT subject may be, and none belongs in Redis as such.
    const key = `caller:${createHash('sha256').update(caller).digest('hex')}`;
    const reservation = await this.link.run(() =>
      this.reserve(key, { ratePerSecond: perSecond, burst: Math.max(1, perSecond), maxWaitMs: 0 }),
    );
    if (reservation !== DOWN) {
      this.fallback = null;
      return reservation.granted ? 0 : Math.max(1, reservation.waitMs);
    }
    this.fallback ??= new LocalCallerBudget(perSecond / Math.max(1, this.options.replicas.live), this.options.now);
    return this.fallback.tryTake(caller);
  }
}
