// A throwaway Redis for `npm run cluster`: valkey-server where installed, else
// Debian's redis-server, on a free loopback port, in memory only (no RDB, no AOF).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** e.g. "redis-server 7.0.15" */
  version: string;
  child: ChildProcess;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>;
}

/** The first server binary installed, with its version line, or null. */
function findBinary(): { binary: string; version: string } | null {
  for (const binary of ['valkey-server', 'redis-server']) {
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { binary, version: `${binary} ${/v=(\S+)/.exec(probe.stdout)?.[1] ?? ''}`.trim() };
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function launch(binary: string, port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
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
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

/** Starts one; throws when neither binary is installed or it will not start. */
export async function startRedisServer(): Promise<RedisServer> {
  const found = findBinary();
  if (!found) throw new Error('Neither valkey-server nor redis-server is installed: apt-get install redis-server, or set REDIS_URL');
  // Another process may take the free port between the look and the launch: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(found.binary, port);
      return {
        url: `redis://127.0.0.1:${port}`,
        version: found.version,
        child,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        },
      };
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
