// A token bucket kept in Redis as one number, the generic cell rate algorithm's
// "theoretical arrival time": when the bucket would next be full again if no one
// took more. Taking a token moves it one interval on; a taker may go at once while
// it stays within `burst` intervals of now, and otherwise waits the difference.
// Redis's TIME is the clock, so replicas with skewed clocks share one budget.
// A bucket Redis does not have starts full, or empty when asked: after a restart
// of Redis, the calls of the last second are not known.
import type { RedisLink, Script } from './redisLink.js';

// KEYS: the bucket. ARGV: rate, burst, longest wait, debt, 'empty' or 'full', ms to keep it once full.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = 1000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local debt = tonumber(ARGV[4])
local keep = tonumber(ARGV[6])
local stored = redis.call('GET', KEYS[1])
local tat = now
if stored then tat = tonumber(stored) elseif ARGV[5] == 'empty' then tat = now + burst * interval end
if tat < now then tat = now end
tat = tat + debt * interval
local next_tat = tat + interval
local wait = next_tat - burst * interval - now
if wait < 0 then wait = 0 end
if wait > max_wait then
  if debt > 0 or not stored then
    redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + keep + 1)
  end
  return {0, math.ceil(wait)}
end
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + keep + 1)
return {1, math.ceil(wait)}
`;

export interface Reservation {
  /** Whether a token was taken. */
  granted: boolean;
  /** Milliseconds until the token may be used; when not granted, until one would be there. */
  waitMs: number;
}

export interface ReserveRequest {
  ratePerSecond: number;
  burst: number;
  /** Longest acceptable wait; a longer one takes nothing. */
  maxWaitMs: number;
  /** Tokens already spent elsewhere, charged before this reservation whatever its outcome. */
  debt?: number;
  /** A bucket Redis does not have starts empty instead of full. */
  startEmpty?: boolean;
  /** How long Redis keeps the bucket once it is full again (it starts anew after that). */
  keepMs?: number;
}

/** Reserves one token of the bucket at `key` (unprefixed). */
export function reserveScript(link: RedisLink): (key: string, request: ReserveRequest) => Promise<Reservation> {
  const script: Script<[number, number]> = link.script('msolReserve', RESERVE, 1);
  return async (key, { ratePerSecond, burst, maxWaitMs, debt = 0, startEmpty = false, keepMs = 0 }) => {
    const args = [
      ratePerSecond,
      burst,
      Math.max(0, Math.floor(maxWaitMs)),
      debt,
      startEmpty ? 'empty' : 'full',
      keepMs,
    ];
    const [granted, waitMs] = await script([key], args);
    return { granted: granted === 1, waitMs };
  };
}
