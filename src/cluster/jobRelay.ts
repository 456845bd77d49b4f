// What a job's poller read, relayed to every replica watching the job, on Redis
// pub/sub through yoga's pub/sub and its Redis event target. Only the lease's
// holder may publish: a script checks the lease, stamps the state with a version
// from Redis's clock (later for every later state, whoever polled it) and keeps
// it as the job's last state, then the state goes out on the job's channel. A
// replica that lost its lease can therefore never publish, and a message that
// arrives late, or not at all, is made up for by the version and the last state.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { jobKeys } from './jobLease.js';
import { DOWN, type Down, type RedisLink, type Script } from './redisLink.js';

/** The poller gave up: every subscriber of the job ends with this error. */
interface RelayedEnd {
  error: { message: string; extensions: Record<string, unknown> };
}

/**
 * As it travels: a job's state as its poller read it (`State`, a JSON object the
 * relay does not look into; live/sharedJob.ts gives its shape) or its end,
 * stamped with its version, later for every later message of the job.
 */
export type RelayMessage<State extends object> = (State | RelayedEnd) & { version: number };

// KEYS: lease, state. ARGV: token, keep ms (0: do not keep it as the last state),
// the message (a JSON object). Returns the version, or false when the caller does
// not hold the lease. The version is Redis's clock in microseconds, as digits.
const STAMP = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local t = redis.call('TIME')
local version = t[1] .. string.sub('00000' .. t[2], -6)
if tonumber(ARGV[2]) > 0 then
  redis.call('SET', KEYS[2], '{"version":' .. version .. ',' .. string.sub(ARGV[3], 2), 'PX', ARGV[2])
end
return version
`;

/** What publish() resolves with when the caller no longer holds the lease. */
export const LOST = Symbol('lease lost');

/**
 * The event target drops the promises of its publish, subscribe and unsubscribe
 * calls; while Redis is down they fail, which must not end the process. What a
 * lost message carried is read from the last state at the next claim.
 */
function quiet(connection: Redis): Redis {
  const dropped = new Set<PropertyKey>(['publish', 'subscribe', 'unsubscribe']);
  return new Proxy(connection, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown;
      if (typeof value !== 'function') return value;
      if (!dropped.has(name)) return value.bind(target);
      return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(() => {});
    },
  });
}

export class JobRelay<State extends object> {
  private readonly stamp: Script<string | null>;
  private readonly pubSub: PubSub<Record<string, [RelayMessage<State>]>>;

  /** `identity` names the credentials, as for the leases. */
  constructor(
    private readonly link: RedisLink,
    private readonly identity: string,
  ) {
    this.stamp = link.script('msolRelayStamp', STAMP, 2);
    const eventTarget = createRedisEventTarget<CustomEvent<RelayMessage<State>>>({
      publishClient: quiet(link.publisher()),
      subscribeClient: quiet(link.subscriber()),
    });
    this.pubSub = createPubSub<Record<string, [RelayMessage<State>]>>({ eventTarget });
  }

  /**
   * Publishes `message` for `jobId` if `token` holds its lease, keeping it as the
   * job's last state for `keepMs` (0: an end, not kept). Resolves with its
   * version; LOST when the lease is another's; DOWN when Redis does not answer.
   */
  async publish(
    jobId: string,
    token: string,
    message: State | RelayedEnd,
    keepMs: number,
  ): Promise<number | typeof LOST | Down> {
    const keys = jobKeys(this.identity, jobId);
    const json = JSON.stringify(message);
    const version = await this.link.run(() => this.stamp([keys.lease, keys.state], [token, Math.ceil(keepMs), json]));
    if (version === DOWN) return DOWN;
    if (version === null) return LOST;
    const stamped: RelayMessage<State> = { version: Number(version), ...message };
    this.pubSub.publish(`${this.link.keyPrefix}${keys.channel}`, stamped);
    return stamped.version;
  }

  /** The messages published for `jobId` from now on, until the iterator is returned. */
  subscribe(jobId: string): AsyncIterableIterator<RelayMessage<State>> {
    // yoga's pub/sub types its messages through a mapped type a type parameter does not go through.
    return this.pubSub.subscribe(this.channel(jobId)) as AsyncIterableIterator<RelayMessage<State>>;
  }

  /** Channels carry no key prefix of their own. */
  private channel(jobId: string): string {
    return `${this.link.keyPrefix}${jobKeys(this.identity, jobId).channel}`;
  }
}
