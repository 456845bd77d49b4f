// Who polls a watched job for the whole cluster: a lease per job in Redis. A
// free lease is taken with SET NX PX; its holder renews it well before it ends,
// so a holder that dies stops renewing and another replica takes the lease once
// it lapses. Each claim is one script: it takes or renews the lease, reads the
// job's last state for a replica that has not seen it, and counts the jobs
// polled cluster-wide (a sorted set scored by lease end, on Redis's clock) for
// the polling budget.
import { createHash } from 'node:crypto';
import { DOWN, type Down, type RedisLink, type Script } from './redisLink.js';

/** A change in what the keys hold must not mix replicas of two versions. */
const VERSION = 'v1';

/** Where one job's lease and last state live, and the channel its states are relayed on (unprefixed). */
export function jobKeys(identity: string, jobId: string) {
  const id = createHash('sha256')
    .update(JSON.stringify([identity, jobId]))
    .digest('hex');
  return {
    id,
    lease: `live:${VERSION}:${id}:lease`,
    state: `live:${VERSION}:${id}:state`,
    polled: `live:${VERSION}:${identity}:polled`,
    channel: `live:${VERSION}:${id}`,
  };
}

// KEYS: lease, state, polled. ARGV: token, lease ms, job id, the state version the
// caller has (its state is left out when that is still the last one). Returns
// {1 when the caller holds the lease, jobs polled, state or false}.
const CLAIM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[2])
local held = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ms)
  held = 1
elseif redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ms) then
  held = 1
end
if held == 1 then
  redis.call('ZADD', KEYS[3], now + ms, ARGV[3])
  if redis.call('PTTL', KEYS[3]) < ms then redis.call('PEXPIRE', KEYS[3], ms) end
  redis.call('PEXPIRE', KEYS[2], 2 * ms)
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local state = redis.call('GET', KEYS[2])
if state and string.match(state, '^{"version":(%d+),') == ARGV[4] then state = false end
return {held, redis.call('ZCARD', KEYS[3]), state}
`;

// KEYS: lease, polled. ARGV: token, job id.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return 0
`;

interface Claim {
  /** The caller holds the lease: it polls the job until its next claim. */
  held: boolean;
  /** Jobs whose lease some replica holds, this one included. */
  polled: number;
  /** The job's last relayed state (JSON), unless it is the version the caller said it has. */
  state: string | null;
}

export class JobLeases {
  private readonly claimScript: Script<[number, number, string | null]>;
  private readonly releaseScript: Script<number>;
  private lastPolled: number | null = null;

  /** `identity` names the credentials (a hash of endpoint, project and AK): leases are per tenant and job. */
  constructor(
    private readonly link: RedisLink,
    private readonly identity: string,
  ) {
    this.claimScript = link.script('msolLeaseClaim', CLAIM, 3);
    this.releaseScript = link.script('msolLeaseRelease', RELEASE, 2);
  }

  /** Takes or renews `jobId`'s lease for `leaseMs` under `token`; DOWN when Redis does not answer. */
  async claim(jobId: string, token: string, leaseMs: number, knownVersion: number): Promise<Claim | Down> {
    const keys = jobKeys(this.identity, jobId);
    const answer = await this.link.run(() =>
      this.claimScript([keys.lease, keys.state, keys.polled], [token, Math.ceil(leaseMs), keys.id, knownVersion]),
    );
    if (answer === DOWN) return DOWN;
    const [held, polled, state] = answer;
    this.lastPolled = polled;
    return { held: held === 1, polled, state: state || null };
  }

  /** Gives the lease up at once, if `token` still holds it, so another replica need not wait for it to lapse. */
  async release(jobId: string, token: string): Promise<void> {
    const keys = jobKeys(this.identity, jobId);
    await this.link.run(() => this.releaseScript([keys.lease, keys.polled], [token, keys.id]));
  }

  /** Jobs polled across the cluster at the last claim, while Redis answers; null when unknown or down. */
  get polled(): number | null {
    return this.link.up ? this.lastPolled : null;
  }
}
