// The owner memo of every replica, in Redis: a check one replica made is not
// repeated on another while it is remembered. Each replica keeps what it read
// for the time Redis had left on it; while Redis is down it remembers on its own.
import { createHash } from 'node:crypto';
import { LocalOwnerMemo, type OwnerMemo, type Ownership } from '../scope/ownerMemo.js';
import { DOWN, type RedisLink, type Script } from './redisLink.js';

// KEYS: the entry. Returns nil, or the ownership and its time left.
const READ = `
local ownership = redis.call('GET', KEYS[1])
if not ownership then return false end
return {ownership, redis.call('PTTL', KEYS[1])}
`;

const OWNERSHIPS = new Set<string>(['owner', 'foreign', 'unknown']);

export class SharedOwnerMemo implements OwnerMemo {
  private readonly read: Script<[string, number] | null>;
  private readonly local: LocalOwnerMemo;

  /** `identity` names the credentials (a hash of endpoint, project and AK): jobs are the tenant's. */
  constructor(
    private readonly link: RedisLink,
    private readonly identity: string,
    now?: () => number,
  ) {
    this.read = link.script('msolOwnerRead', READ, 1);
    this.local = new LocalOwnerMemo(now);
  }

  async get(appUserId: string, jobId: string): Promise<Ownership | undefined> {
    const kept = await this.local.get(appUserId, jobId);
    if (kept) return kept;
    const found = await this.link.run(() => this.read([this.keyOf(appUserId, jobId)], []));
    if (found === DOWN || !found || !OWNERSHIPS.has(found[0])) return undefined;
    const [ownership, ttlMs] = found as [Ownership, number];
    await this.local.set(appUserId, jobId, ownership, ttlMs);
    return ownership;
  }

  async set(appUserId: string, jobId: string, ownership: Ownership, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.local.set(appUserId, jobId, ownership, ttlMs);
    await this.link.run((redis) => redis.set(this.keyOf(appUserId, jobId), ownership, 'PX', ttlMs));
  }

  /** Hashed: app user ids and job ids stay out of Redis's key space. */
  private keyOf(appUserId: string, jobId: string): string {
    return `owner:${createHash('sha256')
      .update(JSON.stringify([this.identity, appUserId, jobId]))
      .digest('hex')}`;
  }
}
