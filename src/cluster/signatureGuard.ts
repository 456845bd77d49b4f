// MetaStudio's gateway locks an AK after 5 rejected signatures in a row, and every
// call signed with the same keys and clock fails the same way. The guard counts
// rejections in a row per credential identity; at 3 it opens for the cooldown and
// every call fails fast without being sent. When the cooldown ends one call is
// let through as a probe (the others still wait): accepted, the count starts
// over; rejected, the guard opens again. Shared through Redis, the count is the
// cluster's, so replicas together stay below the lock; while Redis is down each
// replica counts on its own.
import { DOWN, type RedisLink, type Script } from './redisLink.js';

/** Below MetaStudio's lock at 5, whatever BREAKER_THRESHOLD says. */
export const SIGNATURE_REJECTIONS_TO_OPEN = 3;

export interface SignatureGuard {
  /** Before sending: 0 when the call may go, else the milliseconds until calls are tried again. */
  check(): Promise<number>;
  /** MetaStudio rejected the signature of a call. */
  rejected(): Promise<void>;
  /** MetaStudio accepted the signature of a call (any answer from past its gateway's check). */
  accepted(): Promise<void>;
}

interface SignatureGuardOptions {
  cooldownMs: number;
  /** Milliseconds clock; replaceable in tests. */
  now?: () => number;
}

export class LocalSignatureGuard implements SignatureGuard {
  private rejections = 0;
  private openUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: SignatureGuardOptions) {
    this.now = options.now ?? performance.now.bind(performance);
  }

  async check(): Promise<number> {
    const now = this.now();
    if (now < this.openUntil) return this.openUntil - now;
    // Cooled down: this call is the probe; the others wait for its outcome.
    if (this.rejections >= SIGNATURE_REJECTIONS_TO_OPEN) this.openUntil = now + this.options.cooldownMs;
    return 0;
  }

  async rejected(): Promise<void> {
    this.rejections += 1;
    if (this.rejections >= SIGNATURE_REJECTIONS_TO_OPEN) this.openUntil = this.now() + this.options.cooldownMs;
  }

  async accepted(): Promise<void> {
    this.rejections = 0;
    this.openUntil = 0;
  }
}

// KEYS: rejections in a row, the open flag (its TTL is the time left). ARGV: threshold, cooldown ms.
const CHECK = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return left end
if tonumber(redis.call('GET', KEYS[1]) or 0) >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
end
return 0
`;

const REJECTED = `
if redis.call('INCR', KEYS[1]) >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
end
return 0
`;

export class SharedSignatureGuard implements SignatureGuard {
  private readonly keys: string[];
  private readonly checkScript: Script<number>;
  private readonly rejectedScript: Script<number>;
  /** Counts on its own while Redis is down. */
  private readonly fallback: LocalSignatureGuard;

  /** `identity` names the credentials (a hash of endpoint, project and AK). */
  constructor(
    private readonly link: RedisLink,
    identity: string,
    private readonly options: SignatureGuardOptions,
  ) {
    this.keys = [`guard:${identity}:rejections`, `guard:${identity}:open`];
    this.checkScript = link.script('msolGuardCheck', CHECK, 2);
    this.rejectedScript = link.script('msolGuardRejected', REJECTED, 2);
    this.fallback = new LocalSignatureGuard(options);
  }

  async check(): Promise<number> {
    const left = await this.link.run(() =>
      this.checkScript(this.keys, [SIGNATURE_REJECTIONS_TO_OPEN, this.options.cooldownMs]),
    );
    return left === DOWN ? this.fallback.check() : left;
  }

  async rejected(): Promise<void> {
    const done = await this.link.run(() =>
      this.rejectedScript(this.keys, [SIGNATURE_REJECTIONS_TO_OPEN, this.options.cooldownMs]),
    );
    if (done === DOWN) await this.fallback.rejected();
  }

  async accepted(): Promise<void> {
    const done = await this.link.run((redis) => redis.del(...this.keys));
    if (done === DOWN) await this.fallback.accepted();
  }
}
