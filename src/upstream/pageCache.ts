// Sharing answered pages across requests. Identical calls already in flight are
// joined (single-flight), always. Answered pages are kept for a short TTL in an
// LRU bounded by entries and bytes. Errors are never kept. Keys carry everything
// that changes the answer, the credentials' identity included, so one tenant
// never sees another's data even when clients share a cache. With REDIS_URL a
// shared level sits behind this one: a page another replica fetched is read from
// there, for the time it has left. A page is any parsed answer of a read
// operation (plain JSON data, so the shared level can keep it too).
import { LRUCache } from 'lru-cache';
import { upstreamEvents } from './events.js';

/** A page and how much longer it may be served. */
export interface KeptPage<T = unknown> {
  page: T;
  ttlMs: number;
}

/** The level behind this cache that every replica shares (cluster/sharedPages.ts); none in one process. */
export interface SharedPageLevel {
  /** The page for `key`: kept there, fetched by another replica meanwhile, or loaded here and shared. */
  get<T>(key: string, load: () => Promise<T>): Promise<KeptPage<T>>;
}

export interface PageCacheOptions {
  /** How long an answered page is served without asking again; 0 keeps none (single-flight only). */
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  /** Milliseconds clock for the TTL; replaceable in tests. */
  now?: () => number;
}

/** 16 MiB of pages by the estimate below, about 13 MB of heap when full: room in a 256 MiB replica. */
export const PAGE_CACHE_DEFAULTS: PageCacheOptions = { ttlMs: 5_000, maxEntries: 10_000, maxBytes: 16 * 1024 * 1024 };

export class PageCache {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly answered: LRUCache<string, object> | null;

  constructor(
    private readonly options: PageCacheOptions = PAGE_CACHE_DEFAULTS,
    private readonly shared: SharedPageLevel | null = null,
  ) {
    this.answered =
      options.ttlMs > 0
        ? new LRUCache<string, object>({
            ttl: options.ttlMs,
            max: options.maxEntries,
            maxSize: options.maxBytes,
            // Strings dominate a page; counting UTF-16 code units twice is close enough to bytes in memory.
            sizeCalculation: (page) => 2 * JSON.stringify(page).length,
            // lru-cache reuses a clock reading for 1 ms of real time; a test's clock must be read every time.
            ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
          })
        : null;
  }

  /** The page for `key`: kept, joined in flight, or fetched by `load` (and kept if it succeeds). */
  get<T extends object>(key: string, load: () => Promise<T>, requester?: object): Promise<T> {
    const kept = this.answered?.get(key) as T | undefined;
    if (kept) {
      upstreamEvents.cache.publish({ outcome: 'hit', requester });
      return Promise.resolve(kept);
    }
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) {
      upstreamEvents.cache.publish({ outcome: 'shared', requester });
      return pending;
    }
    upstreamEvents.cache.publish({ outcome: 'miss', requester });
    const call = this.fetch(key, load)
      .then(({ page, ttlMs }) => {
        this.answered?.set(key, page, { ttl: ttlMs });
        return page;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async fetch<T>(key: string, load: () => Promise<T>): Promise<KeptPage<T>> {
    if (this.shared) return this.shared.get(key, load);
    return { page: await load(), ttlMs: this.options.ttlMs };
  }

  /** How long an answered page is kept; 0 when none is. */
  get ttlMs(): number {
    return this.answered ? this.options.ttlMs : 0;
  }

  /** Pages kept right now; the tests check the bounds with it. */
  get size(): number {
    return this.answered?.size ?? 0;
  }
}
