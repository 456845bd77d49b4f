// `npm run bench`: our production build against a minimal signed passthrough
// (scripts/benchPassthrough.ts), both over the simulator (scripts/benchSimulator.ts),
// under autocannon at 50 connections, alternating server and baseline runs.
// Prints req/s, p50/p99, the ratio to the baseline, upstream calls per query,
// CPU per query and peak RSS, and writes the table to bench/results.md.
//
// CPU placement on a small machine: the server under test (and the baseline, in
// its turn) is pinned to CPU 0; the load generator (this process) and the
// simulator share CPU 1. The measured server then never competes with the load
// it is given, and server and baseline get exactly the same room.
//
// Settings (environment): BENCH_LATENCY_MS (comma-separated, default "0,20"),
// BENCH_DURATION_S (per run, default 5), BENCH_ROUNDS (default 2),
// BENCH_WORKLOADS (default "single,dashboard,entities"), BENCH_LOG_LEVEL (the
// server's LOG_LEVEL, default warn), BENCH_NODE_FLAGS (extra node flags for both),
// BENCH_CPU_PROF=1 (profile the server with --cpu-prof and print its top
// self-time functions), BENCH_OUT (default bench/results.md; "-" writes nothing).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import type { SimulatorMessage, SimulatorReport } from './benchSimulator.js';

const env = process.env;
const LATENCIES = (env.BENCH_LATENCY_MS ?? '0,20').split(',').map(Number);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 5);
const WARMUP_S = 2;
const ROUNDS = Number(env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = 50;
const JOBS = 2_000;
const UPSTREAM_CONNECTIONS = 256;
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'warn';
const NODE_FLAGS = (env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const CPU_PROF = env.BENCH_CPU_PROF === '1';
const PROFILE_DIR = 'bench/profile';
const OUT = env.BENCH_OUT ?? 'bench/results.md';

const randomJob = () => `bench-${Math.floor(Math.random() * JOBS)}`;
/** `length` ids drawn from `distinct` different random jobs, repeats shuffled in. */
function jobIds(length: number, distinct: number): string[] {
  const pool = new Set<string>();
  while (pool.size < distinct) pool.add(randomJob());
  const unique = [...pool];
  const ids = Array.from({ length }, (_, i) => unique[i % distinct]!);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

interface Workload {
  name: string;
  title: string;
  /** Distinct jobs each query reads. */
  distinct: number;
  /** A fresh request: the GraphQL body and the baseline's body asking the same. */
  make(): { graphql: string; baseline: string };
}

const WORKLOADS: Workload[] = [
  {
    name: 'single',
    title: 'single job, first: 10',
    distinct: 1,
    make() {
      const id = randomJob();
      return {
        graphql: JSON.stringify({
          query:
            'query Job($id: ID!) { trainingJob(jobId: $id) { operations(first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { time action operator externalInfo { reviewIdList } } } } } }',
          variables: { id },
        }),
        baseline: JSON.stringify({ jobIds: [id], limit: 10 }),
      };
    },
  },
  {
    name: 'dashboard',
    title: 'dashboard, 25 ids over 10 jobs',
    distinct: 10,
    make() {
      const ids = jobIds(25, 10);
      return {
        graphql: JSON.stringify({
          query: 'query Dashboard($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations(limit: 5) { totalCount nodes { time action operator } } } }',
          variables: { ids },
        }),
        baseline: JSON.stringify({ jobIds: ids, limit: 5 }),
      };
    },
  },
  {
    name: 'entities',
    title: '_entities, 50 representations over 25 jobs',
    distinct: 25,
    make() {
      const ids = jobIds(50, 25);
      return {
        graphql: JSON.stringify({
          query:
            'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { jobId operations(limit: 5) { totalCount nodes { time action } } } } }',
          variables: { r: ids.map((jobId) => ({ __typename: 'TrainingJob', jobId })) },
        }),
        baseline: JSON.stringify({ jobIds: ids, limit: 5 }),
      };
    },
  },
].filter((w) => (env.BENCH_WORKLOADS ?? 'single,dashboard,entities').split(',').includes(w.name));

// --- processes -----------------------------------------------------------------

const pinned = cpus().length >= 2 && hasTaskset();
function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
/** The command line for `args` on `cpu` when pinning is possible. */
const onCpu = (cpu: number, args: string[]): [string, string[]] => (pinned ? ['taskset', ['-c', String(cpu), ...args]] : [args[0]!, args.slice(1)]);

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

interface Target {
  name: 'server' | 'baseline';
  process: ChildProcess;
  url: string;
}

async function waitUntilAnswering(target: Target, output: () => string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (target.process.exitCode !== null) throw new Error(`${target.name} exited:\n${output()}`);
    if (Date.now() - started > 30_000) throw new Error(`${target.name} did not start:\n${output()}`);
    try {
      const response = await request(target.name === 'server' ? new URL('/healthz', target.url) : target.url, { method: 'GET' });
      await response.body.dump();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function startTarget(name: Target['name'], args: string[], upstream: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const [command, commandArgs] = onCpu(0, [process.execPath, ...NODE_FLAGS, ...args]);
  const child = spawn(command, commandArgs, {
    env: {
      ...env,
      ...upstream,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      // Caching off, so every query goes upstream; limits far above the load, so the
      // upstream budget is not what is measured; the same connection count as the baseline.
      UPSTREAM_CACHE_TTL_MS: '0',
      UPSTREAM_RATE_LIMIT: '0',
      UPSTREAM_CONCURRENCY: String(UPSTREAM_CONNECTIONS),
      LOG_LEVEL,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // Drained as the server writes, as a log shipper would.
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const target: Target = { name, process: child, url: name === 'server' ? `http://127.0.0.1:${port}/graphql` : `http://127.0.0.1:${port}/` };
  await waitUntilAnswering(target, () => output);
  return target;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

// --- the simulator -------------------------------------------------------------

const [simCommand, simArgs] = onCpu(1, [process.execPath, '--import', 'tsx', 'scripts/benchSimulator.ts', String(JOBS)]);
const simulatorProcess = spawn(simCommand, simArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
function askSimulator(message: SimulatorMessage): Promise<SimulatorReport> {
  const reply = once(simulatorProcess, 'message') as Promise<[SimulatorReport]>;
  simulatorProcess.send(message);
  return reply.then(([report]) => report);
}
async function upstreamCount(): Promise<number> {
  const report = await askSimulator({ count: true });
  return 'count' in report ? report.count : Number.NaN;
}

// --- measuring -----------------------------------------------------------------

interface Run {
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers, transport errors and timeouts. */
  failures: number;
  serverCpuPerQueryMs: number;
  /** Share of CPU 1 the load generator and simulator used: near 100 % means they, not the target, limited the run. */
  loadCpuShare: number;
}

async function measure(target: Target, workload: Workload, seconds: number): Promise<Run> {
  const cpuBefore = cpuSeconds(target.process.pid!);
  const loadBefore = process.cpuUsage();
  const simBefore = cpuSeconds(simulatorProcess.pid!);
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        setupRequest: (req) => {
          const bodies = workload.make();
          return { ...req, body: target.name === 'server' ? bodies.graphql : bodies.baseline };
        },
      },
    ],
  });
  const load = process.cpuUsage(loadBefore);
  const answered = result['2xx'] + result.non2xx;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    serverCpuPerQueryMs: ((cpuSeconds(target.process.pid!) - cpuBefore) * 1000) / Math.max(1, answered),
    loadCpuShare: ((load.user + load.system) / 1e6 + cpuSeconds(simulatorProcess.pid!) - simBefore) / seconds,
  };
}

/** The upstream request count once the previous run's last queries have drained. */
async function quiescentUpstreamCount(): Promise<number> {
  let count = await upstreamCount();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await upstreamCount();
    if (now === count) return now;
    count = now;
  }
}

/** Sends a few queries one at a time: exact upstream calls per query, and a check that the answers are whole. */
async function probe(target: Target, workload: Workload): Promise<number> {
  const queries = 5;
  const before = await quiescentUpstreamCount();
  for (let i = 0; i < queries; i++) {
    const bodies = workload.make();
    const response = await request(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: target.name === 'server' ? bodies.graphql : bodies.baseline,
    });
    const text = await response.body.text();
    const body = JSON.parse(text) as { errors?: unknown; data?: unknown; jobs?: unknown };
    if (response.statusCode !== 200 || body.errors || !(body.data ?? body.jobs)) {
      throw new Error(`${target.name} answered ${workload.name} with ${response.statusCode}: ${text.slice(0, 500)}`);
    }
  }
  return ((await upstreamCount()) - before) / queries;
}

// --- the run -------------------------------------------------------------------

const benchStarted = Date.now();
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
console.log('Building dist/ (npm run build)...');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (CPU_PROF) rmSync(PROFILE_DIR, { recursive: true, force: true });

const [ready] = (await once(simulatorProcess, 'message')) as [SimulatorReport];
if (!('url' in ready)) throw new Error('the simulator did not start');
const upstream = {
  METASTUDIO_ENDPOINT: ready.url,
  METASTUDIO_PROJECT_ID: ready.projectId,
  CLOUD_SDK_AK: ready.accessKey,
  CLOUD_SDK_SK: ready.secretKey,
};
const server = await startTarget('server', [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), 'dist/main.js'], upstream);
const baseline = await startTarget('baseline', ['--import', 'tsx', 'scripts/benchPassthrough.ts'], upstream);

interface Row {
  latencyMs: number;
  workload: Workload;
  server: Run[];
  baseline: Run[];
  calls: { server: number; baseline: number };
}
const rows: Row[] = [];
const mean = (runs: Run[], key: keyof Run) => runs.reduce((sum, run) => sum + run[key], 0) / runs.length;

let serverRss = Number.NaN;
let baselineRss = Number.NaN;
try {
  for (const latencyMs of LATENCIES) {
    await askSimulator({ latencyMs });
    for (const workload of WORKLOADS) {
      const row: Row = { latencyMs, workload, server: [], baseline: [], calls: { server: await probe(server, workload), baseline: await probe(baseline, workload) } };
      // JIT and connection warm-up, not counted.
      for (const target of [server, baseline]) await measure(target, workload, WARMUP_S);
      for (let round = 0; round < ROUNDS; round++) {
        for (const target of [server, baseline]) {
          const run = await measure(target, workload, DURATION_S);
          row[target.name].push(run);
          console.log(
            `${String(latencyMs).padStart(3)} ms  ${workload.name.padEnd(9)}  ${target.name.padEnd(8)}  ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ` +
              `${run.serverCpuPerQueryMs.toFixed(3)} ms CPU/query  load CPU ${(run.loadCpuShare * 100).toFixed(0)} %${run.failures ? `  FAILURES ${run.failures}` : ''}`,
          );
        }
      }
      rows.push(row);
    }
  }
} finally {
  // VmHWM is gone once a process has exited, so it is read first.
  serverRss = peakRssMb(server.process.pid!);
  baselineRss = peakRssMb(baseline.process.pid!);
  await stop(server.process);
  await stop(baseline.process);
  simulatorProcess.disconnect();
}

// --- report --------------------------------------------------------------------

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const header =
  '| upstream latency | workload | server req/s | baseline req/s | ratio | server p50 / p99 ms | baseline p50 / p99 ms | upstream calls per query (server / baseline) | server CPU per query |';
const lines = [header, `|${' --- |'.repeat(9)}`];
for (const row of rows) {
  const s = (key: keyof Run) => mean(row.server, key);
  const b = (key: keyof Run) => mean(row.baseline, key);
  lines.push(
    `| ${row.latencyMs} ms | ${row.workload.title} | ${s('rps').toFixed(0)} | ${b('rps').toFixed(0)} | ${(s('rps') / b('rps')).toFixed(2)}× | ` +
      `${s('p50').toFixed(0)} / ${s('p99').toFixed(0)} | ${b('p50').toFixed(0)} / ${b('p99').toFixed(0)} | ${row.calls.server} / ${row.calls.baseline} | ${s('serverCpuPerQueryMs').toFixed(2)} ms |`,
  );
}
const failures = rows.reduce((sum, row) => sum + mean(row.server, 'failures') + mean(row.baseline, 'failures'), 0);
const loadShare = Math.max(...rows.flatMap((row) => [...row.server, ...row.baseline].map((run) => run.loadCpuShare)));

const checks: Array<[string, boolean]> = [];
for (const row of rows) {
  const ratio = mean(row.server, 'rps') / mean(row.baseline, 'rps');
  if (row.workload.name === 'single' && row.latencyMs === 0) checks.push([`0 ms single job ≥ 0.4× baseline (${ratio.toFixed(2)}×)`, ratio >= 0.4]);
  if (row.workload.name === 'single' && row.latencyMs === 20) checks.push([`20 ms single job ≥ 0.9× baseline (${ratio.toFixed(2)}×)`, ratio >= 0.9]);
  if (row.workload.name !== 'single') {
    checks.push([`${row.latencyMs} ms ${row.workload.name}: ${row.calls.server} upstream calls ≤ ${row.workload.distinct} distinct jobs`, row.calls.server <= row.workload.distinct]);
  }
  const p99 = mean(row.server, 'p99');
  const p50 = mean(row.server, 'p50');
  checks.push([`${row.latencyMs} ms ${row.workload.name}: p99 ${p99.toFixed(0)} ms < 3× p50 ${p50.toFixed(0)} ms`, p99 < 3 * p50]);
}
checks.push([`server peak RSS ${serverRss.toFixed(0)} MB < 200 MB`, serverRss < 200]);
checks.push([`no failed requests (${failures})`, failures === 0]);

const report = [
  `Machine: ${machine}. ${CONNECTIONS} connections, ${ROUNDS} alternating runs of ${DURATION_S} s per side and row (after ${WARMUP_S} s of warm-up), means shown.`,
  `Server: \`node dist/main.js\`, NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, UPSTREAM_CACHE_TTL_MS=0, UPSTREAM_RATE_LIMIT=0, UPSTREAM_CONCURRENCY=${UPSTREAM_CONNECTIONS}${NODE_FLAGS.length ? `, node ${NODE_FLAGS.join(' ')}` : ''}.`,
  `Baseline: scripts/benchPassthrough.ts, one signed undici call per distinct job, ${UPSTREAM_CONNECTIONS} upstream connections.`,
  `${pinned ? 'Server and baseline pinned to CPU 0; load generator and simulator to CPU 1' : 'No CPU pinning (taskset unavailable or one core)'}; the load side used at most ${(loadShare * 100).toFixed(0)} % of its CPU.`,
  `Peak RSS: server ${serverRss.toFixed(0)} MB, baseline ${baselineRss.toFixed(0)} MB.`,
  '',
  ...lines,
].join('\n');

console.log(`\n${report}\n`);
for (const [label, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${label}`);
console.log(`\nTotal ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
if (OUT !== '-') {
  mkdirSync('bench', { recursive: true });
  writeFileSync(OUT, `# Benchmark results\n\nWritten by \`npm run bench\`.\n\n${report}\n\nTargets:\n\n${checks.map(([label, ok]) => `- ${ok ? 'met' : '**missed**'}: ${label}`).join('\n')}\n`);
  console.log(`Wrote ${OUT}`);
}
if (CPU_PROF) printProfile();

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The server's top self-time functions, and self time by package, from its --cpu-prof profile. */
function printProfile(): void {
  const file = readdirSync(PROFILE_DIR).find((name) => name.endsWith('.cpuprofile'));
  if (!file) {
    console.log(`no profile in ${PROFILE_DIR}`);
    return;
  }
  const { nodes } = JSON.parse(readFileSync(join(PROFILE_DIR, file), 'utf8')) as { nodes: ProfileNode[] };
  const total = nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const { callFrame, hitCount = 0 } of nodes) {
    const where = callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/dist\//, 'dist/');
    const name = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hitCount);
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(callFrame.url)?.[1] ?? (callFrame.url.includes('/dist/') ? 'dist (our code)' : callFrame.url.startsWith('node:') ? 'node internals' : callFrame.url || callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hitCount);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`).join('\n');
  console.log(`\nProfile ${join(PROFILE_DIR, file)}: ${total} samples\nTop self time by function:\n${top(byFunction, 25)}\nSelf time by package:\n${top(byPackage, 15)}`);
}
