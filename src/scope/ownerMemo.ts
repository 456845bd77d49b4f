// What a job check found, remembered per (app user, job): a confirmed owner for
// OWNERSHIP_TTL_MS (a job's owner never changes), a refusal (another user's job,
// or one MetaStudio does not know) exactly as long as an unknown job's answer
// is kept, so that neither is answered faster than the other. In this process;
// cluster/sharedOwnerMemo.ts keeps it in Redis for every replica.
import { LRUCache } from 'lru-cache';

/** `foreign`: another app user's job; `unknown`: MetaStudio does not know it (or refused this user's X-App-UserId). */
export type Ownership = 'owner' | 'foreign' | 'unknown';

export interface OwnerMemo {
  get(appUserId: string, jobId: string): Promise<Ownership | undefined>;
  /** Remembers for `ttlMs`; 0 remembers nothing. */
  set(appUserId: string, jobId: string, ownership: Ownership, ttlMs: number): Promise<void>;
}

/** Bounds the memo: at a few hundred bytes each, some tens of MB. */
const MAX_ENTRIES = 100_000;

export class LocalOwnerMemo implements OwnerMemo {
  /**
   * Made at the first decision: lru-cache allocates its arrays for MAX_ENTRIES up
   * front (about 4 MB), which a replica whose callers are never scoped should not carry.
   */
  private kept: LRUCache<string, Ownership> | undefined;

  /** `now`: a milliseconds clock, replaceable in tests. */
  constructor(private readonly now?: () => number) {}

  async get(appUserId: string, jobId: string): Promise<Ownership | undefined> {
    return this.kept?.get(JSON.stringify([appUserId, jobId]));
  }

  async set(appUserId: string, jobId: string, ownership: Ownership, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    const { now } = this;
    this.kept ??= new LRUCache<string, Ownership>({
      max: MAX_ENTRIES,
      // Each entry brings its own TTL; this is only lru-cache's required default.
      ttl: 1,
      // lru-cache reuses a clock reading for 1 ms of real time; a test's clock must be read every time.
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    });
    this.kept.set(JSON.stringify([appUserId, jobId]), ownership, { ttl: ttlMs });
  }
}
