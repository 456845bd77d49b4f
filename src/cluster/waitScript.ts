// How long the Redis bucket of reserveScript.ts keeps the next `tokens` takers
// waiting, read without taking anything: the client asks before it queues for a
// slot, so a call that could not leave in time fails at once.
import type { RedisLink, Script } from './redisLink.js';

// KEYS: the bucket. ARGV: rate, burst, tokens, 'empty' or 'full'.
const WAIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = 1000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then tat = tonumber(stored) elseif ARGV[4] == 'empty' then tat = now + burst * interval end
if tat < now then tat = now end
local wait = tat + tonumber(ARGV[3]) * interval - burst * interval - now
if wait < 0 then wait = 0 end
return math.ceil(wait)
`;

export interface WaitRequest {
  ratePerSecond: number;
  burst: number;
  /** The taker asked about: 1 is the next one. */
  tokens: number;
  /** A bucket Redis does not have counts as empty instead of full (as reserveScript's startEmpty). */
  startEmpty?: boolean;
}

/** Milliseconds until `tokens` more tokens of the bucket at `key` (unprefixed) are free. */
export function waitScript(link: RedisLink): (key: string, request: WaitRequest) => Promise<number> {
  const script: Script<number> = link.script('msolWait', WAIT, 1);
  return (key, { ratePerSecond, burst, tokens, startEmpty = false }) =>
    script([key], [ratePerSecond, burst, tokens, startEmpty ? 'empty' : 'full']);
}
