// The benchmark's targets: the server, the before build, the passthrough and the
// calibration stages, each a process pinned to CPU 0 and started with npm start's
// node flags, and the simulator they all call, on CPU 1 with the load generator.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { JOBS, LOG_LEVEL, NODE_FLAGS, UPSTREAM_CONNECTIONS } from './benchSettings.js';
import type { SimulatorMessage, SimulatorReport } from './benchSimulator.js';
import { ALL_WORKLOADS } from './benchWorkloads.js';
import { freePort } from './redisServer.js';

export const pinned = cpus().length >= 2 && hasTaskset();
function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
/** The command line for `args` on `cpu` when pinning is possible. */
export const onCpu = (cpu: number, args: string[]): [string, string[]] =>
  pinned ? ['taskset', ['-c', String(cpu), ...args]] : [args[0]!, args.slice(1)];

export interface Target {
  /** 'server' (dist/main.js), 'before' (BENCH_BEFORE's dist/main.js), 'baseline', or a calibration stage. */
  name: string;
  process: ChildProcess;
  url: string;
  /** Read just before the process is stopped. */
  peakRssMb: number;
}

export const isBaseline = (target: Target) => target.name === 'baseline';
/** Targets measured at every latency and on every workload; the stages only at 0 ms. */
export const isMain = (target: Target) => ['server', 'before', 'baseline'].includes(target.name);

/** Any HTTP answer at all means the target listens. */
async function waitUntilListening(name: string, child: ChildProcess, url: string, output: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${output()}`);
    if (Date.now() - started > 60_000) throw new Error(`${name} did not start:\n${output()}`);
    try {
      const response = await request(url, { method: 'GET' });
      await response.body.dump();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** What every server gets besides the upstream: the production settings of the benchmark. */
const SERVER_ENV = {
  NODE_ENV: 'production',
  // Caching off, so every query goes upstream; limits far above the load, so the
  // upstream budget is not what is measured; the same connection count as the baseline.
  UPSTREAM_CACHE_TTL_MS: '0',
  UPSTREAM_RATE_LIMIT: '0',
  UPSTREAM_CONCURRENCY: String(UPSTREAM_CONNECTIONS),
  LOG_LEVEL,
};

function spawnOnCpu0(
  args: string[],
  childEnv: NodeJS.ProcessEnv,
  cwd = '.',
): { child: ChildProcess; output: () => string } {
  const [command, commandArgs] = onCpu(0, [process.execPath, ...args]);
  const child = spawn(command, commandArgs, { env: childEnv, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Drained as the server writes, as a log shipper would.
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  return { child, output: () => output };
}

export async function startTarget(name: string, args: string[], upstream: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const { child, output } = spawnOnCpu0([...NODE_FLAGS, ...args], {
    ...process.env,
    ...upstream,
    ...SERVER_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const url = name === 'baseline' ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/graphql`;
  await waitUntilListening(name, child, url, output);
  return { name, process: child, url, peakRssMb: Number.NaN };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** The simulator in a process of its own on CPU 1 (scripts/benchSimulator.ts), and what it can be asked. */
export function startBenchSimulator() {
  const [command, args] = onCpu(1, [process.execPath, '--import', 'tsx', 'scripts/benchSimulator.ts', String(JOBS)]);
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const askSimulator = (message: SimulatorMessage): Promise<SimulatorReport> => {
    const reply = once(child, 'message') as Promise<[SimulatorReport]>;
    child.send(message);
    return reply.then(([report]) => report);
  };
  return {
    process: child,
    /** Its URL and credentials, once it listens. */
    async ready(): Promise<Record<string, string>> {
      const [report] = (await once(child, 'message')) as [SimulatorReport];
      if (!('url' in report)) throw new Error('the simulator did not start');
      return {
        METASTUDIO_ENDPOINT: report.url,
        METASTUDIO_PROJECT_ID: report.projectId,
        CLOUD_SDK_AK: report.accessKey,
        CLOUD_SDK_SK: report.secretKey,
      };
    },
    setLatency: (latencyMs: number) => askSimulator({ latencyMs }),
    /** Upstream requests it has received so far. */
    async upstreamCount(): Promise<number> {
      const report = await askSimulator({ count: true });
      return 'count' in report ? report.count : Number.NaN;
    },
  };
}
export type BenchSimulator = ReturnType<typeof startBenchSimulator>;

export async function ask(target: Target, body: string): Promise<{ statusCode: number; text: string }> {
  const response = await request(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  return { statusCode: response.statusCode, text: await response.body.text() };
}

export function isWhole({ statusCode, text }: { statusCode: number; text: string }): boolean {
  if (statusCode !== 200) return false;
  const body = JSON.parse(text) as { errors?: unknown; data?: unknown; jobs?: unknown };
  return !body.errors && Boolean(body.data ?? body.jobs);
}

/** `npm start`'s command in `root`, without `node`: its node flags, then the script. */
export function startCommand(root: string): string[] {
  const [node, ...args] = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start.split(' ');
  if (node !== 'node') throw new Error(`npm start does not run node: ${node}`);
  return args;
}
/** The node flags production starts with (npm start's, as the Dockerfile's), so that the server is measured as it runs. */
export const startFlags = (root: string) => startCommand(root).filter((arg) => arg.startsWith('-'));

/** Milliseconds from spawning `npm start`'s command (dist/ fresh) in `root` to its first whole answer to a single-job query. */
export async function coldStart(upstream: Record<string, string>, root: string): Promise<number> {
  const args = startCommand(root);
  const port = await freePort();
  const started = performance.now();
  const { child, output } = spawnOnCpu0(
    [...NODE_FLAGS, ...args],
    { ...process.env, ...upstream, ...SERVER_ENV, PORT: String(port), HOST: '127.0.0.1' },
    root,
  );
  const target: Target = {
    name: 'cold start',
    process: child,
    url: `http://127.0.0.1:${port}/graphql`,
    peakRssMb: Number.NaN,
  };
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output()}`);
      if (performance.now() - started > 60_000) throw new Error(`npm start did not answer:\n${output()}`);
      try {
        if (isWhole(await ask(target, ALL_WORKLOADS[0]!.make().graphql))) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await stop(child);
  }
}
