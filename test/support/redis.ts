// A real Redis (or Valkey, where installed) for tests: its own process on a free
// loopback port, nothing written to disk, and handles to stop, kill, freeze and
// restart it, so tests see what replicas see when the real thing fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

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

/** valkey-server where installed, else Debian's redis-server. */
function serverBinary(): string {
  for (const name of ['valkey-server', 'redis-server']) {
    if (spawnSync(name, ['--version']).status === 0) return name;
  }
  throw new Error('Neither valkey-server nor redis-server is installed (apt-get install redis-server)');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the server on `port`; resolves once it accepts connections, rejects if it exits first. */
async function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${binary} exited (${code}) before it was ready:\n${output}`)));
  });
  await ready;
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
  const binary = serverBinary();
  let port = 0;
  let child: ChildProcess | undefined;
  // Another process may take the free port between the look and the launch: try a few.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, port);
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
  let current = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => ended(current, 'SIGTERM'),
    kill: () => ended(current, 'SIGKILL'),
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
    async restart() {
      await ended(current, 'SIGTERM');
      current = await launch(binary, port);
    },
  };
}
