// The signature guard (upstream/signatureGuard.ts) shared through Redis, so the
// count of rejections in a row is the cluster's and replicas together stay below
// MetaStudio's AK lock; while Redis is down each replica counts on its own.
import {
  LocalSignatureGuard,
  SIGNATURE_REJECTIONS_TO_OPEN,
  type SignatureGuard,
  type SignatureGuardOptions,
} from '../upstream/signatureGuard.js';
import { DOWN, type RedisLink, type Script } from './redisLink.js';

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
