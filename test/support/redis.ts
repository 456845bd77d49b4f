// A real Redis (or Valkey, where installed) for tests, started as `npm run cluster`
// starts one (scripts/redisServer.ts), with handles to stop, kill, freeze and
// restart it, so tests see what replicas see when the real thing fails; and
// useRedis(), one for a test file with the replicas' links to it.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchRedis, startRedisServer, stopChild } from '../../scripts/redisServer.js';
import { RedisLink } from '../../src/cluster/redisLink.js';

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Shuts it down (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, and waits for the exit. */
  kill(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as with a frozen host. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stops it if running, then starts an empty one on the same port. */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export async function startRedis(): Promise<RedisServer> {
  const { url, port, binary, child } = await startRedisServer();
  let current = track(child);
  return {
    url,
    port,
    stop: () => stopChild(current, 'SIGTERM'),
    kill: () => stopChild(current, 'SIGKILL'),
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
    async restart() {
      await stopChild(current, 'SIGTERM');
      current = track(await launchRedis(binary, port));
    },
  };
}

export interface TestRedis extends RedisServer {
  /** The links connect() made in the current test, in order; closed after it. */
  links: RedisLink[];
  /** `count` replicas' links, one at a time, under one key prefix (a fresh one unless given), as one deployment's. */
  connect(count: number, options?: { url?: string; keyPrefix?: string; timeoutMs?: number }): Promise<RedisLink[]>;
}

/** A Redis for the tests of the file (or describe block) that calls it: started before them, killed after them. */
export function useRedis(): TestRedis {
  let server: RedisServer | undefined;
  const links: RedisLink[] = [];
  const started = (): RedisServer => {
    if (!server) throw new Error('useRedis: Redis starts in beforeAll');
    return server;
  };
  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(() => {
    for (const link of links.splice(0)) link.close();
  });
  afterAll(async () => {
    await server?.kill();
  });
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    stop: () => started().stop(),
    kill: () => started().kill(),
    pause: () => started().pause(),
    resume: () => started().resume(),
    restart: () => started().restart(),
    links,
    async connect(count, { url = started().url, keyPrefix = `test-${randomUUID()}:`, timeoutMs = 250 } = {}) {
      const made: RedisLink[] = [];
      for (let i = 0; i < count; i++) {
        const link = await RedisLink.connect({ url, keyPrefix, timeoutMs, replicaId: randomUUID() });
        links.push(link);
        made.push(link);
      }
      return made;
    },
  };
}
