// A token bucket kept in Redis as one number, the generic cell rate algorithm's
// "theoretical arrival time": when the bucket would next be full again if no one
// took more. Taking a token moves it one interval on; a taker may go at once while
// it stays within `burst` intervals of now, and otherwise waits the difference.
// Redis's TIME is the clock, so replicas with skewed clocks share one budget, and
// the key expires when the bucket is full, so idle buckets cost nothing.
import type { RedisLink, Script } from './redisLink.js';

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = 1000 / tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local debt = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or 0)
if tat < now then tat = now end
tat = tat + debt * interval
local next_tat = tat + interval
local wait = next_tat - burst * interval - now
if wait < 0 then wait = 0 end
if wait > max_wait then
  if debt > 0 then redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1) end
  return {0, math.ceil(wait)}
end
redis.call('SET', KEYS[1], string.format('%.3f', next_tat), 'PX', math.ceil(next_tat - now) + 1)
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
}

/** Reserves one token of the bucket at `key` (unprefixed). */
export function reserveScript(link: RedisLink): (key: string, request: ReserveRequest) => Promise<Reservation> {
  const script: Script<[number, number]> = link.script('msolReserve', RESERVE, 1);
  return async (key, { ratePerSecond, burst, maxWaitMs, debt = 0 }) => {
    const [granted, waitMs] = await script([key], [ratePerSecond, burst, Math.max(0, Math.floor(maxWaitMs)), debt]);
    return { granted: granted === 1, waitMs };
  };
}
