// The mode a replica is in, as a real redis-server stops, freezes and comes back.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IN_PROCESS, RedisState } from '../../src/cluster/clusterState.js';
import { clusterEvents, type RedisStateEvent } from '../../src/cluster/events.js';
import { startRedis, type RedisServer } from '../support/redis.js';

let redis: RedisServer;
let states: RedisState[];
let events: RedisStateEvent[];
let unsubscribe: () => void;

beforeEach(async () => {
  redis = await startRedis();
  states = [];
  events = [];
  unsubscribe = clusterEvents.redis.subscribe((event) => events.push(event));
});

afterEach(async () => {
  unsubscribe();
  for (const state of states) await state.close();
  await redis.kill();
});

async function replicas(count: number): Promise<RedisState[]> {
  const keyPrefix = `test-${randomUUID()}:`;
  for (let i = 0; i < count; i++)
    states.push(await RedisState.connect({ url: redis.url, keyPrefix, timeoutMs: 250, heartbeatMs: 50 }));
  return states;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('ClusterState', () => {
  it('in process: one replica, no shared level', () => {
    expect(IN_PROCESS.mode).toBe('in-process');
    expect(IN_PROCESS.replicas).toBe(1);
    expect(IN_PROCESS.sharedPages({ ttlMs: 1, waitMs: 1 })).toBeNull();
  });

  it('through Redis: shared, degraded while Redis is stopped, shared again by itself after it restarts', async () => {
    const [a, b] = await replicas(2);
    await until(() => a!.replicas === 2);
    expect([a!.mode, b!.mode]).toEqual(['shared', 'shared']);
    await redis.stop();
    // Heartbeats find it gone without any traffic.
    await until(() => a!.mode === 'degraded' && b!.mode === 'degraded');
    // The count it last saw is what it divides the budget by.
    expect(a!.replicas).toBe(2);
    await redis.restart();
    await until(() => a!.mode === 'shared' && b!.mode === 'shared');
    // One warning per outage and replica, however many beats failed meanwhile.
    expect(events.filter((e) => !e.up)).toHaveLength(2);
    expect(events.filter((e) => e.up)).toHaveLength(2);
  });

  it('a frozen Redis makes it degraded, and shared again once Redis runs', async () => {
    const [a] = await replicas(1);
    redis.pause();
    await until(() => a!.mode === 'degraded');
    redis.resume();
    await until(() => a!.mode === 'shared');
  });

  it('starts degraded when Redis cannot be reached, and does not wait for it', async () => {
    await redis.stop();
    const [a] = await replicas(1);
    expect(a!.mode).toBe('degraded');
    await redis.restart();
    await until(() => a!.mode === 'shared');
  });
});
