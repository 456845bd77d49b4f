// The shared level behind each replica's in-process page cache: answered pages
// kept in Redis under the same keys (hashed) and TTL, and one fetch per page
// across the cluster. The first replica to miss takes a short lock and fetches;
// the others wait for its notice on pub/sub, then read the page it stored. The
// wait is bounded by the lock's lifetime, and a failed or lost fetch only means
// they fetch themselves. When Redis is down every replica fetches on its own.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeptPage, SharedPageLevel } from '../upstream/pageCache.js';
import { clusterEvents, type SharedPageEvent } from './events.js';
import { DOWN, type RedisLink, type Script } from './redisLink.js';

export interface SharedPagesOptions {
  /** How long an answered page is kept (the in-process cache's TTL); above 0. */
  ttlMs: number;
  /** How long the lock holds and others wait for its holder's page, at most. */
  waitMs: number;
}

// KEYS: page. Returns nil, or the page and its time left.
const READ = `
local page = redis.call('GET', KEYS[1])
if not page then return false end
return {page, redis.call('PTTL', KEYS[1])}
`;

// KEYS: page, lock. ARGV: lock token, lock ms. The page and its time left; else
// 1 when this caller now holds the lock, 0 when another does. One step, so a
// fetch that ends between a look and a lock is never made twice.
const READ_OR_LOCK = `
local page = redis.call('GET', KEYS[1])
if page then return {page, redis.call('PTTL', KEYS[1])} end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0
`;

// KEYS: page, lock. ARGV: page (empty: none to keep), TTL, lock token, channel, notice.
const SETTLE = `
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;

/** A change in the keys or in what a page holds must not read pages kept by an older replica. */
const VERSION = 'v2';

export class SharedPages implements SharedPageLevel {
  private readonly read: Script<[string, number] | null>;
  private readonly readOrLock: Script<[string, number] | 0 | 1>;
  private readonly settle: Script<number>;
  private readonly channel: string;
  private readonly subscriber: Redis;
  /** Replicas waiting here for another's fetch, by page id. */
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(
    private readonly link: RedisLink,
    private readonly options: SharedPagesOptions,
  ) {
    this.read = link.script('msolPageRead', READ, 1);
    this.readOrLock = link.script('msolPageReadOrLock', READ_OR_LOCK, 2);
    this.settle = link.script('msolPageSettle', SETTLE, 2);
    // Channels carry no key prefix of their own.
    this.channel = `${link.keyPrefix}pages:${VERSION}:settled`;
    this.subscriber = link.subscriber();
    this.subscriber.on('message', (_channel: string, id: string) => {
      for (const wake of this.waiting.get(id) ?? []) wake();
    });
    // Until it is subscribed, waiters only wait out their bound.
    this.subscriber.subscribe(this.channel).catch(() => {});
  }

  /** The page for `key`: kept in Redis, fetched by another replica meanwhile, or loaded here and shared. */
  async get<T>(key: string, load: () => Promise<T>): Promise<KeptPage<T>> {
    const id = createHash('sha256').update(key).digest('hex');
    const keys = [`page:${VERSION}:${id}`, `page-lock:${VERSION}:${id}`];
    const token = randomUUID();
    const found = await this.link.run(() => this.readOrLock(keys, [token, this.options.waitMs]));
    if (found === DOWN) return this.loadAlone(load);
    if (Array.isArray(found)) return parse<T>(found, 'hit');
    if (found === 1) return this.fetchAndShare(id, keys, token, load, 'fetched');
    return (await this.fetchedElsewhere(id, keys)) ?? this.fetchAndShare(id, keys, '', load, 'alone');
  }

  private async loadAlone<T>(load: () => Promise<T>): Promise<KeptPage<T>> {
    clusterEvents.sharedPage.publish({ outcome: 'alone' });
    return { page: await load(), ttlMs: this.options.ttlMs };
  }

  private async fetchAndShare<T>(
    id: string,
    keys: string[],
    token: string,
    load: () => Promise<T>,
    outcome: SharedPageEvent['outcome'],
  ): Promise<KeptPage<T>> {
    clusterEvents.sharedPage.publish({ outcome });
    let page: T;
    try {
      page = await load();
    } catch (error) {
      // Errors are never kept: the waiters are woken to fetch for themselves.
      await this.link.run(() => this.settle(keys, ['', 0, token, this.channel, id]));
      throw error;
    }
    await this.link.run(() => this.settle(keys, [JSON.stringify(page), this.options.ttlMs, token, this.channel, id]));
    return { page, ttlMs: this.options.ttlMs };
  }

  /** The page another replica is fetching, once it says so; null when it did not keep one in time. */
  private async fetchedElsewhere<T>(id: string, keys: string[]): Promise<KeptPage<T> | null> {
    let wake!: () => void;
    const settled = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(wake, this.options.waitMs);
    const waiters = this.waiting.get(id) ?? new Set();
    waiters.add(wake);
    this.waiting.set(id, waiters);
    try {
      // Listening first, then looking: a page kept in between is not missed.
      const before = await this.link.run(() => this.read(keys.slice(0, 1), []));
      if (before === DOWN) return null;
      if (before) return parse<T>(before, 'waited');
      await settled;
      const after = await this.link.run(() => this.read(keys.slice(0, 1), []));
      return after === DOWN || after === null ? null : parse<T>(after, 'waited');
    } finally {
      clearTimeout(timer);
      waiters.delete(wake);
      if (waiters.size === 0) this.waiting.delete(id);
    }
  }
}

function parse<T>([page, ttlMs]: [string, number], outcome: 'hit' | 'waited'): KeptPage<T> {
  clusterEvents.sharedPage.publish({ outcome });
  // At least 1: a TTL of 0 would keep the page forever in the level above.
  return { page: JSON.parse(page) as T, ttlMs: Math.max(1, ttlMs) };
}
