// A real Redis (or Valkey, where installed) for tests, started as `npm run cluster`
// starts one (scripts/redisServer.ts), with handles to stop, kill, freeze and
// restart it, so tests see what replicas see when the real thing fails.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { launchRedis, startRedisServer } from '../../scripts/redisServer.js';

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

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  // A frozen process only acts on SIGTERM once it runs again.
  child.kill('SIGCONT');
  child.kill(signal);
  await exited;
}

export async function startRedis(): Promise<RedisServer> {
  const { url, port, binary, child } = await startRedisServer();
  let current = track(child);
  return {
    url,
    port,
    stop: () => ended(current, 'SIGTERM'),
    kill: () => ended(current, 'SIGKILL'),
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
    async restart() {
      await ended(current, 'SIGTERM');
      current = track(await launchRedis(binary, port));
    },
  };
}
