// Replicas announce themselves in Redis and count each other. Each beat puts
// this replica in a sorted set scored by Redis's own clock, drops the ones not
// heard from within three beats, and reads how many are left: one script, one
// clock, so replicas with skewed clocks still agree. The count is what a replica
// divides the tenant's budget by when Redis fails; the beat is also how a link
// that is down notices that Redis answers again.
import { DOWN, type RedisLink, type Script } from './redisLink.js';

/** How many replicas share the tenant's budget, as last seen. */
export interface ReplicaCount {
  readonly live: number;
}

export const HEARTBEAT_DEFAULT_MS = 1_000;

const BEAT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('ZCARD', KEYS[1])
`;

const KEY = 'replicas';

export class ReplicaHeartbeat implements ReplicaCount {
  private seen = 1;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly beatScript: Script<number>;

  constructor(
    private readonly link: RedisLink,
    private readonly options: { intervalMs: number },
  ) {
    this.beatScript = link.script<number>('msolReplicaBeat', BEAT, 1);
  }

  /** Beats once, then every interval until stop(). */
  async start(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  /** Live replicas at the last beat that reached Redis, this one included. */
  get live(): number {
    return this.seen;
  }

  /** Stops beating and leaves the count at once, instead of after three missed beats. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.link.run((redis) => redis.zrem(KEY, this.link.replicaId));
  }

  private schedule(): void {
    // The next beat is planned when this one ends, so a frozen Redis never piles beats up.
    this.timer = setTimeout(() => {
      void this.beat().then(() => {
        if (!this.stopped) this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    const ttlMs = 3 * this.options.intervalMs;
    const live = await this.link.attempt(() => this.beatScript([KEY], [this.link.replicaId, ttlMs]));
    if (live !== DOWN) this.seen = Math.max(1, live);
  }
}
