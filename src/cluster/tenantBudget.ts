// The tenant's request budget at MetaStudio, shared by every replica through
// Redis: one bucket per credential identity, at most UPSTREAM_RATE_LIMIT calls a
// second with one second of burst, whichever replica sends them. When Redis is
// down each replica takes its share (the rate divided by the replicas it last
// saw) from a bucket of its own, so the sum stays within the budget; that bucket
// starts empty and behind every call already scheduled, so the switch adds no
// burst, and the calls it scheduled are charged to the shared bucket on return.
// A shared bucket Redis lost (it restarted empty) starts empty too: the replicas'
// own buckets were spending the last second's budget.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TenantBudget } from '../upstream/tenantBudget.js';
import { TokenBucket } from '../upstream/tokenBucket.js';
import { DOWN, type RedisLink } from './redisLink.js';
import type { ReplicaCount } from './replicaHeartbeat.js';
import { reserveScript, type Reservation, type ReserveRequest } from './reserveScript.js';
import { waitScript, type WaitRequest } from './waitScript.js';

/** An idle tenant's bucket is kept this long, so only a Redis restart (or a first call) finds none. */
const KEEP_IDLE_MS = 24 * 60 * 60 * 1000;

interface SharedTenantBudgetOptions {
  /** Names the tenant's bucket in Redis (a hash of endpoint, project and AK). */
  key: string;
  ratePerSecond: number;
  replicas: ReplicaCount;
  /** Milliseconds clock of the fallback; replaceable in tests. */
  now?: () => number;
}

export class SharedTenantBudget implements TenantBudget {
  private readonly reserve: (key: string, request: ReserveRequest) => Promise<Reservation>;
  private readonly wait: (key: string, request: WaitRequest) => Promise<number>;
  private readonly now: () => number;
  /** This replica's own bucket while Redis is down. */
  private fallback: TokenBucket | null = null;
  /** Tokens the fallback bucket granted that have not been sent yet. */
  private owedLocally = 0;
  /** When the last call granted here may go out. */
  private scheduledUntil = 0;

  constructor(
    private readonly link: RedisLink,
    private readonly options: SharedTenantBudgetOptions,
  ) {
    this.reserve = reserveScript(link);
    this.wait = waitScript(link);
    this.now = options.now ?? performance.now.bind(performance);
  }

  async waitMs(tokens: number): Promise<number> {
    if (this.link.up) {
      const { ratePerSecond } = this.options;
      // Calls its own bucket still holds after an outage are charged on the next take: count them as queued.
      const queued = tokens + (this.fallback ? this.owedLocally : 0);
      const waitMs = await this.link.run(() =>
        this.wait(this.options.key, {
          ratePerSecond,
          burst: Math.max(1, ratePerSecond),
          tokens: queued,
          startEmpty: true,
        }),
      );
      if (waitMs !== DOWN) return waitMs;
    }
    // The bucket take() goes on with while Redis is down.
    this.fallback ??= this.startFallback();
    return this.fallback.waitMs(tokens);
  }

  async take(maxWaitMs: number): Promise<number | null> {
    const started = this.now();
    if (this.link.up) {
      // Back from an outage: the shared bucket learns what this replica's own bucket let through.
      const previous = this.fallback;
      const debt = previous ? this.owedLocally : 0;
      this.fallback = null;
      const { ratePerSecond } = this.options;
      const reservation = await this.link.run(() =>
        this.reserve(this.options.key, {
          ratePerSecond,
          burst: Math.max(1, ratePerSecond),
          maxWaitMs,
          debt,
          startEmpty: true,
          keepMs: KEEP_IDLE_MS,
        }),
      );
      if (reservation !== DOWN) {
        if (!reservation.granted) return null;
        this.scheduledUntil = Math.max(this.scheduledUntil, this.now() + reservation.waitMs);
        if (reservation.waitMs > 0) await sleep(reservation.waitMs);
        return reservation.waitMs;
      }
      // Still down after all: keep the bucket this replica was using.
      this.fallback ??= previous;
    }
    this.fallback ??= this.startFallback();
    const bucket = this.fallback;
    this.owedLocally += 1;
    try {
      // Time spent finding Redis down counts against the same limit.
      const waitedMs = await bucket.take(maxWaitMs - (this.now() - started));
      if (waitedMs !== null) this.scheduledUntil = Math.max(this.scheduledUntil, this.now());
      return waitedMs;
    } finally {
      this.owedLocally -= 1;
    }
  }

  private startFallback(): TokenBucket {
    const ratePerSecond = this.options.ratePerSecond / Math.max(1, this.options.replicas.live);
    const now = this.now();
    // Empty, and owing every call this replica already scheduled through the shared bucket.
    const owedMs = Math.max(0, this.scheduledUntil - now);
    return new TokenBucket({
      ratePerSecond,
      burst: Math.max(1, ratePerSecond),
      tokens: -(owedMs / 1000) * ratePerSecond,
      now: this.now,
    });
  }
}
