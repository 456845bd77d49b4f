// The tenant's request budget at MetaStudio, kept on our side so that we queue
// briefly instead of collecting 429s. Reservations are decided up front (as Go's
// x/time/rate does): a caller learns at once how long it would wait, and one
// that would wait too long fails fast instead of piling up in a queue.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TenantBudget } from './tenantBudget.js';

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens held at once; requests beyond it wait for refills. */
  burst: number;
  /** Tokens at the start, full when absent; below zero, the bucket starts owing refills. */
  tokens?: number;
  now?: () => number;
}

export class TokenBucket implements TenantBudget {
  private tokens: number;
  private updatedAt: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? performance.now.bind(performance);
    this.tokens = options.tokens ?? options.burst;
    this.updatedAt = this.now();
  }

  async take(maxWaitMs: number): Promise<number | null> {
    const waitMs = this.reserve(maxWaitMs);
    if (waitMs === null) return null;
    if (waitMs > 0) await sleep(waitMs);
    return waitMs;
  }

  waitMs(tokens: number): number {
    this.refill();
    return Math.max(0, ((tokens - this.tokens) / this.options.ratePerSecond) * 1000);
  }

  /**
   * Takes one token only if one is there now: 0 when taken, else the milliseconds
   * until one will be (and none is taken).
   */
  tryTake(): number {
    const waitMs = this.refill();
    if (waitMs === 0) this.tokens -= 1;
    return waitMs;
  }

  private reserve(maxWaitMs: number): number | null {
    const waitMs = this.refill();
    if (waitMs > maxWaitMs) return null;
    // Going negative is how waiters queue: each one owes the refill of one more token.
    this.tokens -= 1;
    return Math.ceil(waitMs);
  }

  /** Adds the tokens earned since the last look; returns the wait for the next one. */
  private refill(): number {
    const now = this.now();
    const { ratePerSecond, burst } = this.options;
    this.tokens = Math.min(burst, this.tokens + ((now - this.updatedAt) / 1000) * ratePerSecond);
    this.updatedAt = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / ratePerSecond) * 1000;
  }
}
