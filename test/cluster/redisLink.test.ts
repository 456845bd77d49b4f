// The link to a real redis-server that the test stops, freezes and restarts.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clusterEvents, type RedisStateEvent } from '../../src/cluster/events.js';
import { DOWN, RedisLink } from '../../src/cluster/redisLink.js';
import { startRedis, type RedisServer } from '../support/redis.js';

let redis: RedisServer;
let link: RedisLink;
let events: RedisStateEvent[];
let unsubscribe: () => void;

function connect(url: string): Promise<RedisLink> {
  const replicaId = randomUUID();
  return RedisLink.connect({ url, keyPrefix: `test-${replicaId}:`, timeoutMs: 250, replicaId });
}

/** The state changes reported for one link. */
const reported = (l: RedisLink) => events.filter((event) => event.replicaId === l.replicaId);

const ping = (l: RedisLink) => l.run((r) => r.ping());

beforeEach(async () => {
  events = [];
  unsubscribe = clusterEvents.redis.subscribe((event) => events.push(event));
  redis = await startRedis();
  link = await connect(redis.url);
});

afterEach(async () => {
  unsubscribe();
  link.close();
  await redis.kill();
});

describe('RedisLink', () => {
  it('runs commands under its key prefix while Redis answers', async () => {
    expect(await ping(link)).toBe('PONG');
    await link.run((r) => r.set('k', 'v'));
    // A client without the prefix sees the prefixed key.
    const other = await RedisLink.connect({ url: redis.url, keyPrefix: '', timeoutMs: 250, replicaId: 'plain' });
    expect(await other.run((r) => r.get(`${link.keyPrefix}k`))).toBe('v');
    other.close();
    expect(link.up).toBe(true);
    expect(reported(link)).toEqual([]);
  });

  it('a stopped Redis is down at the first failed command, reported once, and up again when a command is answered', async () => {
    await redis.stop();
    expect(await ping(link)).toBe(DOWN);
    expect(link.up).toBe(false);
    // Down: run() does not even try, attempt() does.
    expect(await ping(link)).toBe(DOWN);
    expect(await link.attempt((r) => r.ping())).toBe(DOWN);
    expect(reported(link)).toEqual([{ replicaId: expect.any(String), up: false, reason: expect.any(String) }]);

    await redis.restart();
    while ((await link.attempt((r) => r.ping())) === DOWN) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(link.up).toBe(true);
    expect(await ping(link)).toBe('PONG');
    expect(reported(link).map((e) => e.up)).toEqual([false, true]);
  });

  it('a frozen Redis counts as down once a command goes unanswered for the timeout', async () => {
    redis.pause();
    const commands = await Promise.all([ping(link), ping(link), link.run((r) => r.get('k'))]);
    expect(commands).toEqual([DOWN, DOWN, DOWN]);
    expect(reported(link)).toEqual([{ replicaId: expect.any(String), up: false, reason: 'Command timed out' }]);
    redis.resume();
    expect(await link.attempt((r) => r.ping())).toBe('PONG');
    expect(reported(link).map((e) => e.up)).toEqual([false, true]);
    // A second outage is reported again.
    redis.pause();
    expect(await ping(link)).toBe(DOWN);
    expect(reported(link).map((e) => e.up)).toEqual([false, true, false]);
    redis.resume();
  });

  it('starts down, without waiting long, when Redis cannot be reached, and comes up once it can', async () => {
    await redis.stop();
    const late = await connect(redis.url);
    expect(late.up).toBe(false);
    expect(reported(late)).toEqual([{ replicaId: late.replicaId, up: false, reason: expect.any(String) }]);
    await redis.restart();
    while ((await late.attempt((r) => r.ping())) === DOWN) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(late.up).toBe(true);
    late.close();
  });

  it('sends scripts by hash and again after a restart emptied Redis', async () => {
    const incr = link.script<number>('testIncr', "return redis.call('INCRBY', KEYS[1], ARGV[1])", 1);
    expect(await link.run(() => incr(['n'], [2]))).toBe(2);
    expect(await link.run(() => incr(['n'], [3]))).toBe(5);
    await redis.restart();
    while ((await link.attempt(() => incr(['n'], [1]))) === DOWN)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await link.run(() => incr(['n'], [1]))).toBe(2);
  });
});
