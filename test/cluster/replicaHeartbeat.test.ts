// Replicas counting each other through a real redis-server.
import { describe, expect, it } from 'vitest';
import { ReplicaHeartbeat } from '../../src/cluster/replicaHeartbeat.js';
import { useRedis } from '../support/redis.js';

const redis = useRedis();

async function replicas(count: number, intervalMs: number): Promise<ReplicaHeartbeat[]> {
  const beats: ReplicaHeartbeat[] = [];
  for (const link of await redis.connect(count)) {
    const beat = new ReplicaHeartbeat(link, { intervalMs });
    await beat.start();
    beats.push(beat);
  }
  return beats;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('ReplicaHeartbeat', () => {
  it('each replica counts the live ones under its prefix', async () => {
    const [a, b, c] = await replicas(3, 50);
    // The last to start saw all three at once; the others see them within a beat.
    expect(c!.live).toBe(3);
    await until(() => a!.live === 3 && b!.live === 3);
    // Another deployment's prefix is another count.
    const [other] = await replicas(1, 50);
    expect(other!.live).toBe(1);
    for (const beat of [a, b, c, other]) await beat!.stop();
  });

  it('a replica that stops leaves the count at once; one that dies drops out after three missed beats', async () => {
    const [a, b, c] = await replicas(3, 50);
    await a!.stop();
    await until(() => b!.live === 2 && c!.live === 2);
    // Dying: no goodbye, the beats just end (closing its connection stops them reaching Redis).
    redis.links.at(-1)!.close();
    await until(() => b!.live === 1);
    await b!.stop();
    await c!.stop();
  });

  it('keeps the last count it saw while Redis is down', async () => {
    const beats = await replicas(2, 50);
    const link = redis.links.at(-1)!;
    await redis.stop();
    await until(() => !link.up);
    expect(beats[1]!.live).toBe(2);
    await redis.restart();
    // Its beats bring the link up again; Redis restarted empty, so the count starts over.
    await until(() => link.up && beats[0]!.live === 2 && beats[1]!.live === 2);
    expect(await link.run((r) => r.zcard('replicas'))).toBe(2);
    for (const beat of beats) await beat.stop();
  });
});
