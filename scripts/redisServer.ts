// A throwaway Redis, for `npm run cluster` and for the tests (test/support/redis.ts
// adds stopping, freezing and restarting): valkey-server where installed, else
// Debian's redis-server, on a free loopback port, in memory only (no RDB, no AOF).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisBinary {
  /** valkey-server or redis-server */
  binary: string;
  /** e.g. "redis-server 7.0.15" */
  version: string;
}

export interface RedisServer extends RedisBinary {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** The first server binary installed, with its version, or null. */
export function findRedisBinary(): RedisBinary | null {
  for (const binary of ['valkey-server', 'redis-server']) {
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { binary, version: `${binary} ${/v=(\S+)/.exec(probe.stdout)?.[1] ?? ''}`.trim() };
  }
  return null;
}

/** Signals `child` (woken first, should it be frozen) and waits for it to exit; at once if it has. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  // A frozen (SIGSTOP) process only acts on SIGTERM once it runs again.
  child.kill('SIGCONT');
  child.kill(signal);
  await exited;
}

/** A TCP port on loopback that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts `binary` on `port`; resolves once it accepts connections, rejects if it exits first. */
export async function launchRedis(binary: string, port: number): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--loglevel',
    'notice',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${binary} exited (${code}) before it was ready:\n${output}`)));
  });
  // Its log is not ours to show; keep the pipes drained.
  child.stdout!.removeAllListeners('data').resume();
  child.stderr!.removeAllListeners('data').resume();
  return child;
}

/** Starts one; throws when neither binary is installed or it will not start. */
export async function startRedisServer(): Promise<RedisServer> {
  const found = findRedisBinary();
  if (!found)
    throw new Error(
      'Neither valkey-server nor redis-server is installed: apt-get install redis-server, or set REDIS_URL',
    );
  // Another process may take the free port between the look and the launch: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await launchRedis(found.binary, port);
      return {
        ...found,
        url: `redis://127.0.0.1:${port}`,
        port,
        child,
        stop: () => stopChild(child),
      };
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}
