// `npm run bench`: our production build against a minimal signed passthrough
// (scripts/benchPassthrough.ts), both over the simulator (scripts/benchSimulator.ts),
// under autocannon at 50 connections, alternating the targets run by run. At 0 ms
// upstream latency the calibration stages of scripts/benchServer.ts are measured
// in the same rotation: a hello-world yoga, our job done the simplest way, our
// schema and loaders alone, and the production app without each plugin group in
// turn, so that every layer's CPU per query is a number. It also times the cold
// start of `npm start` (median of BENCH_COLD_STARTS). With BENCH_BEFORE it also
// builds that commit into bench/before/ and measures it beside the server, for
// before/after figures from one run. Prints req/s, p50/p99, the ratio to the
// baseline, upstream calls per query, CPU per query and peak RSS, and writes the
// tables to bench/results.md.
//
// CPU placement on a small machine: every target (server, baseline, stages) is
// pinned to CPU 0 and measured alone; the load generator (this process) and the
// simulator share CPU 1. The measured process then never competes with the load
// it is given, and all targets get exactly the same room. CPU per query is read
// from /proc for the target's process, so it holds even when other work on the
// machine makes throughput noisy: compare CPU per query within one run.
//
// Settings (environment): BENCH_LATENCY_MS (comma-separated, default "0,20"),
// BENCH_DURATION_S (per run, default 3), BENCH_ROUNDS (default 5),
// BENCH_WORKLOADS (default "single,dashboard,entities"), BENCH_BEFORE (a git
// commit to measure as "before"; default main just before issue 14's cuts,
// none with BENCH_QUICK; "none" for none), BENCH_STAGES (the
// calibration stages, default all; "none" for none), BENCH_COLD_STARTS (default 5;
// 0 skips), BENCH_QUICK=1 (for iterating: 1 round of 3 s, 0 ms only, the single-job
// workload only, 3 cold starts, unless set otherwise), BENCH_LOG_LEVEL (the
// servers' LOG_LEVEL, default warn), BENCH_NODE_FLAGS (extra node flags for every
// target), BENCH_CPU_PROF=1 (profile the server with --cpu-prof and print its top
// self-time functions), BENCH_OUT (default bench/results.md; "-" writes nothing).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import type { SimulatorMessage, SimulatorReport } from './benchSimulator.js';
import { STAGE_TITLES, type StageName } from './benchStages.js';
import { freePort } from './redisServer.js';

const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const LATENCIES = (env.BENCH_LATENCY_MS ?? (QUICK ? '0' : '0,20')).split(',').map(Number);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 3);
// Several short rounds and their median: on a shared machine a round now and then
// runs two or three times slower for every target alike, which a mean passes on.
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 5));
const COLD_STARTS = Number(env.BENCH_COLD_STARTS ?? (QUICK ? 3 : 5));
const CONNECTIONS = 50;
const JOBS = 2_000;
const UPSTREAM_CONNECTIONS = 256;
const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'warn';
const NODE_FLAGS = (env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const CPU_PROF = env.BENCH_CPU_PROF === '1';
const PROFILE_DIR = 'bench/profile';
const OUT = env.BENCH_OUT ?? 'bench/results.md';
/** main just before issue 14's cuts were merged: the "before" of its before/after figures. */
const DEFAULT_BEFORE = '57187daaea176533e62ef0d756f9e81ee8ad22c4';
const BEFORE_REF = env.BENCH_BEFORE ?? (QUICK ? 'none' : DEFAULT_BEFORE);
const BEFORE = BEFORE_REF !== 'none' ? BEFORE_REF : null;
const BEFORE_DIR = 'bench/before';
/** The issue's (#14) figures for the server before this work, when no before is measured. */
const ISSUE_BEFORE_CPU_MS: Record<string, number> = { dashboard: 2.78, entities: 5.2 };
/** Calibration is measured where the servers are busiest: no upstream latency. */
const CALIBRATION_LATENCY = 0;

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
  /**
   * Queries sent to warm a target up before it is measured (JIT, connections),
   * about 2 s of a quiet machine. A count rather than a time, so that a busy
   * machine cannot leave a target measured while V8 still compiles it.
   */
  warmup: number;
  /** A fresh request: the GraphQL body and the baseline's body asking the same. */
  make(): { graphql: string; baseline: string };
}

const ALL_WORKLOADS: Workload[] = [
  {
    name: 'single',
    title: 'single job, first: 10',
    distinct: 1,
    warmup: 2_500,
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
    warmup: 700,
    make() {
      const ids = jobIds(25, 10);
      return {
        graphql: JSON.stringify({
          query:
            'query Dashboard($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations(limit: 5) { totalCount nodes { time action operator } } } }',
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
    warmup: 400,
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
];
const WORKLOADS = ALL_WORKLOADS.filter((w) =>
  (env.BENCH_WORKLOADS ?? (QUICK ? 'single' : 'single,dashboard,entities')).split(',').includes(w.name),
);
/** Only the hello-world stage runs it: the floor of a yoga request. */
const HELLO: Workload = {
  name: 'hello',
  title: '`{ hello }`',
  distinct: 0,
  warmup: 5_000,
  make: () => ({ graphql: JSON.stringify({ query: '{ hello }' }), baseline: '' }),
};

const STAGES = env.BENCH_STAGES === 'none' ? [] : (env.BENCH_STAGES?.split(',') ?? Object.keys(STAGE_TITLES));
for (const stage of STAGES)
  if (!Object.hasOwn(STAGE_TITLES, stage))
    throw new Error(`BENCH_STAGES: no stage "${stage}"; the stages are ${Object.keys(STAGE_TITLES).join(', ')}`);

/** What a target can be asked. */
function answers(target: Target, workload: Workload): boolean {
  if (workload === HELLO) return target.name === 'hello';
  if (target.name === 'hello') return false;
  return !(target.name === 'app-federation' && workload.name === 'entities');
}

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
const onCpu = (cpu: number, args: string[]): [string, string[]] =>
  pinned ? ['taskset', ['-c', String(cpu), ...args]] : [args[0]!, args.slice(1)];

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

interface Target {
  /** 'server' (dist/main.js), 'before' (BENCH_BEFORE's dist/main.js), 'baseline', or a calibration stage. */
  name: string;
  process: ChildProcess;
  url: string;
  /** Read just before the process is stopped. */
  peakRssMb: number;
}

const isBaseline = (target: Target) => target.name === 'baseline';
/** Targets measured at every latency and on every workload; the stages only at 0 ms. */
const isMain = (target: Target) => ['server', 'before', 'baseline'].includes(target.name);

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

async function startTarget(name: string, args: string[], upstream: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const { child, output } = spawnOnCpu0([...NODE_FLAGS, ...args], {
    ...env,
    ...upstream,
    ...SERVER_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const url = name === 'baseline' ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/graphql`;
  await waitUntilListening(name, child, url, output);
  return { name, process: child, url, peakRssMb: Number.NaN };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

// --- the simulator -------------------------------------------------------------

const [simCommand, simArgs] = onCpu(1, [
  process.execPath,
  '--import',
  'tsx',
  'scripts/benchSimulator.ts',
  String(JOBS),
]);
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
  cpuPerQueryMs: number;
  /** Share of CPU 1 the load generator and simulator used: near 100 % means they, not the target, limited the run. */
  loadCpuShare: number;
}

const bodyFor = (target: Target, workload: Workload) => {
  const bodies = workload.make();
  return isBaseline(target) ? bodies.baseline : bodies.graphql;
};

/** Measures `seconds` of load, or only sends `workload.warmup` queries when `seconds` is 0. */
async function measure(target: Target, workload: Workload, seconds: number): Promise<Run> {
  const cpuBefore = cpuSeconds(target.process.pid!);
  const loadBefore = process.cpuUsage();
  const simBefore = cpuSeconds(simulatorProcess.pid!);
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    ...(seconds > 0 ? { duration: seconds } : { amount: workload.warmup }),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        setupRequest: (req) => ({ ...req, body: bodyFor(target, workload) }),
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
    cpuPerQueryMs: ((cpuSeconds(target.process.pid!) - cpuBefore) * 1000) / Math.max(1, answered),
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

async function ask(target: Target, body: string): Promise<{ statusCode: number; text: string }> {
  const response = await request(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body,
  });
  return { statusCode: response.statusCode, text: await response.body.text() };
}

function isWhole({ statusCode, text }: { statusCode: number; text: string }): boolean {
  if (statusCode !== 200) return false;
  const body = JSON.parse(text) as { errors?: unknown; data?: unknown; jobs?: unknown };
  return !body.errors && Boolean(body.data ?? body.jobs);
}

/** Sends a few queries one at a time: exact upstream calls per query, and a check that the answers are whole. */
async function probe(target: Target, workload: Workload): Promise<number> {
  const queries = 5;
  const before = await quiescentUpstreamCount();
  for (let i = 0; i < queries; i++) {
    const answer = await ask(target, bodyFor(target, workload));
    if (!isWhole(answer))
      throw new Error(
        `${target.name} answered ${workload.name} with ${answer.statusCode}: ${answer.text.slice(0, 500)}`,
      );
  }
  return ((await upstreamCount()) - before) / queries;
}

/** `npm start`'s command in `root`, without `node`: its node flags, then the script. */
function startCommand(root: string): string[] {
  const [node, ...args] = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start.split(' ');
  if (node !== 'node') throw new Error(`npm start does not run node: ${node}`);
  return args;
}
/** The node flags production starts with (npm start's, as the Dockerfile's), so that the server is measured as it runs. */
const startFlags = (root: string) => startCommand(root).filter((arg) => arg.startsWith('-'));

/** Milliseconds from spawning `npm start`'s command (dist/ fresh) in `root` to its first whole answer to a single-job query. */
async function coldStart(upstream: Record<string, string>, root: string): Promise<number> {
  const args = startCommand(root);
  const port = await freePort();
  const started = performance.now();
  const { child, output } = spawnOnCpu0(
    [...NODE_FLAGS, ...args],
    { ...env, ...upstream, ...SERVER_ENV, PORT: String(port), HOST: '127.0.0.1' },
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

// --- the run -------------------------------------------------------------------

const benchStarted = Date.now();
/** The machine's 1-minute load average: other work on it makes a run's throughput figures noisy. */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
const loadAtStart = loadAverage();
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
console.log('Building dist/ (npm run build)...');
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
/** BENCH_BEFORE's sources, built in bench/before/ (inside the repository, so that node_modules resolves). */
function buildBefore(ref: string): boolean {
  rmSync(BEFORE_DIR, { recursive: true, force: true });
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { stdio: 'ignore' });
  } catch {
    console.log(`BENCH_BEFORE=${ref} names no commit here: no before figures.`);
    return false;
  }
  console.log(`Building ${ref} into ${BEFORE_DIR}/ (before)...`);
  mkdirSync(BEFORE_DIR, { recursive: true });
  const archive = execFileSync(
    'git',
    [
      'archive',
      ref,
      'src',
      'scripts/build.mjs',
      'scripts/start.mjs',
      'package.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  execFileSync('tar', ['-x', '-C', BEFORE_DIR], { input: archive });
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: BEFORE_DIR, stdio: 'inherit' });
  return true;
}
const measuringBefore = BEFORE !== null && buildBefore(BEFORE);
if (CPU_PROF) rmSync(PROFILE_DIR, { recursive: true, force: true });

const [ready] = (await once(simulatorProcess, 'message')) as [SimulatorReport];
if (!('url' in ready)) throw new Error('the simulator did not start');
const upstream = {
  METASTUDIO_ENDPOINT: ready.url,
  METASTUDIO_PROJECT_ID: ready.projectId,
  CLOUD_SDK_AK: ready.accessKey,
  CLOUD_SDK_SK: ready.secretKey,
};

// Alternating, as the load runs do.
const coldStartsMs: number[] = [];
const beforeColdStartsMs: number[] = [];
for (let i = 0; i < COLD_STARTS; i++) {
  coldStartsMs.push(await coldStart(upstream, '.'));
  if (measuringBefore) beforeColdStartsMs.push(await coldStart(upstream, BEFORE_DIR));
}
const coldStarts = (values: number[]) =>
  `${values.map((ms) => ms.toFixed(0)).join(', ')} ms; median ${median(values).toFixed(0)} ms`;
if (COLD_STARTS > 0)
  console.log(
    `cold start of npm start: ${coldStarts(coldStartsMs)}${measuringBefore ? `; before: ${coldStarts(beforeColdStartsMs)}` : ''}`,
  );

const server = await startTarget(
  'server',
  [...startFlags('.'), ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), 'dist/main.js'],
  upstream,
);
const before = measuringBefore
  ? await startTarget('before', [...startFlags(BEFORE_DIR), resolve(BEFORE_DIR, 'dist/main.js')], upstream)
  : undefined;
const baseline = await startTarget('baseline', ['--import', 'tsx', 'scripts/benchPassthrough.ts'], upstream);
const calibrating = LATENCIES.includes(CALIBRATION_LATENCY);
const stages = await Promise.all(
  (calibrating ? STAGES : []).map((stage) =>
    startTarget(stage, [...startFlags('.'), '--import', 'tsx', 'scripts/benchServer.ts', stage], upstream),
  ),
);
const targets = [server, ...(before ? [before] : []), baseline, ...stages];

interface Row {
  latencyMs: number;
  workload: Workload;
  runs: Map<string, Run[]>;
  calls: Map<string, number>;
}
const rows: Row[] = [];
const totalOf = (runs: Run[], key: keyof Run) => runs.reduce((total, run) => total + run[key], 0);
/** The middle value (the mean of the middle two for an even count); NaN for none. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
    : sorted[Math.floor(middle)]!;
}

try {
  for (const latencyMs of LATENCIES) {
    await askSimulator({ latencyMs });
    const workloads = latencyMs === CALIBRATION_LATENCY && STAGES.includes('hello') ? [...WORKLOADS, HELLO] : WORKLOADS;
    for (const workload of workloads) {
      const taking = targets.filter((target) =>
        workload === HELLO
          ? answers(target, workload)
          : isMain(target) || (latencyMs === CALIBRATION_LATENCY && answers(target, workload)),
      );
      const row: Row = { latencyMs, workload, runs: new Map(), calls: new Map() };
      for (const target of taking) row.calls.set(target.name, await probe(target, workload));
      // JIT and connection warm-up, not counted.
      for (const target of taking) await measure(target, workload, 0);
      for (let round = 0; round < ROUNDS; round++) {
        // Each round starts one target further on, so that no target always runs
        // first after a long idle spell (that run was the slowest in a round).
        const start = round % taking.length;
        for (const target of [...taking.slice(start), ...taking.slice(0, start)]) {
          const run = await measure(target, workload, DURATION_S);
          row.runs.set(target.name, [...(row.runs.get(target.name) ?? []), run]);
          console.log(
            `${String(latencyMs).padStart(3)} ms  ${workload.name.padEnd(9)}  ${target.name.padEnd(15)}  ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ` +
              `${run.cpuPerQueryMs.toFixed(3)} ms CPU/query  load CPU ${(run.loadCpuShare * 100).toFixed(0)} %${run.failures ? `  FAILURES ${run.failures}` : ''}`,
          );
        }
      }
      rows.push(row);
    }
  }
} finally {
  for (const target of targets) {
    // VmHWM is gone once a process has exited, so it is read first.
    target.peakRssMb = peakRssMb(target.process.pid!);
    await stop(target.process);
  }
  simulatorProcess.disconnect();
}

// --- report --------------------------------------------------------------------

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadAtStart} at the start and ${loadAverage()} at the end`;
const header =
  '| upstream latency | workload | server req/s | baseline req/s | ratio | server p50 / p99 ms | baseline p50 / p99 ms | upstream calls per query (server / baseline) | server CPU per query |';
const lines = [header, `|${' --- |'.repeat(9)}`];
const of = (row: Row, name: string, key: keyof Run) => median((row.runs.get(name) ?? []).map((run) => run[key]));
const mainRows = rows.filter((row) => row.workload !== HELLO);
for (const row of mainRows) {
  const s = (key: keyof Run) => of(row, 'server', key);
  const b = (key: keyof Run) => of(row, 'baseline', key);
  lines.push(
    `| ${row.latencyMs} ms | ${row.workload.title} | ${s('rps').toFixed(0)} | ${b('rps').toFixed(0)} | ${(s('rps') / b('rps')).toFixed(2)}× | ` +
      `${s('p50').toFixed(0)} / ${s('p99').toFixed(0)} | ${b('p50').toFixed(0)} / ${b('p99').toFixed(0)} | ${row.calls.get('server')} / ${row.calls.get('baseline')} | ${s('cpuPerQueryMs').toFixed(2)} ms |`,
  );
}

// The per-stage table: every target at 0 ms, one column pair per workload.
const calibrationRows = rows.filter((row) => row.latencyMs === CALIBRATION_LATENCY && row.workload !== HELLO);
const helloRow = rows.find((row) => row.workload === HELLO);
const stageLines: string[] = [];
const costLines: string[] = [];
if (calibrating && calibrationRows.length > 0) {
  const cpu = (row: Row | undefined, name: string) =>
    row?.runs.has(name) ? of(row, name, 'cpuPerQueryMs') : Number.NaN;
  const cell = (row: Row, name: string) => {
    if (!row.runs.has(name)) return '–';
    return `${of(row, name, 'cpuPerQueryMs').toFixed(2)} ms · ${of(row, name, 'rps').toFixed(0)}/s · ${(of(row, name, 'rps') / of(row, 'baseline', 'rps')).toFixed(2)}×`;
  };
  stageLines.push(
    `| stage | ${calibrationRows.map((row) => `${row.workload.title}: CPU per query · req/s · × passthrough`).join(' | ')} | peak RSS |`,
    `|${' --- |'.repeat(calibrationRows.length + 2)}`,
  );
  const described: Array<[string, string]> = [
    ['baseline', 'signed undici passthrough, no GraphQL (scripts/benchPassthrough.ts)'],
    ...stages.map((stage): [string, string] => [stage.name, STAGE_TITLES[stage.name as StageName]]),
    ['server', "production server, `dist/main.js` with npm start's node flags"],
    ...(before ? [['before', `production server before, BENCH_BEFORE=${BEFORE}`] as [string, string]] : []),
  ];
  for (const [name, title] of described) {
    const target = targets.find((t) => t.name === name)!;
    const cells =
      name === 'hello' && helloRow
        ? calibrationRows.map((_, i) =>
            i === 0 ? `${cpu(helloRow, 'hello').toFixed(2)} ms · ${of(helloRow, 'hello', 'rps').toFixed(0)}/s` : '–',
          )
        : calibrationRows.map((row) => cell(row, name));
    stageLines.push(`| \`${name}\`: ${title} | ${cells.join(' | ')} | ${target.peakRssMb.toFixed(0)} MB |`);
  }
  // What each layer costs: the difference of two stages' CPU per query, per workload.
  const layers: Array<[string, string, string]> = [
    ["yoga's floor (hello world, its own query)", '', 'hello'],
    ['our job the simplest way, over the floor', 'hello', 'plain'],
    ['our schema, loaders and client, over the plain yoga', 'plain', 'pothos'],
    ['the production plugins, over schema and loaders', 'pothos', 'app'],
    ['… of which security', 'app-security', 'app'],
    ['… of which the request log', 'app-requestLog', 'app'],
    ['… of which metrics', 'app-metrics', 'app'],
    ['… of which the federation wrapper', 'app-federation', 'app'],
    ['tracing, when switched on', 'app', 'app+tracing'],
  ];
  costLines.push(
    `| layer (CPU per query) | ${calibrationRows.map((row) => row.workload.title).join(' | ')} |`,
    `|${' --- |'.repeat(calibrationRows.length + 1)}`,
  );
  for (const [label, from, to] of layers) {
    const value = (row: Row) => {
      const top = to === 'hello' ? cpu(helloRow, 'hello') : cpu(row, to);
      const bottom = from === '' ? 0 : from === 'hello' ? cpu(helloRow, 'hello') : cpu(row, from);
      return Number.isNaN(top - bottom) ? '–' : `${(top - bottom).toFixed(2)} ms`;
    };
    const values = calibrationRows.map(value);
    if (values.some((v) => v !== '–')) costLines.push(`| ${label} | ${values.join(' | ')} |`);
  }
}

// Before and after, from the same run when BENCH_BEFORE was measured.
const beforeLines: string[] = [];
if (before) {
  beforeLines.push(
    '| upstream latency | workload | req/s before → after | p50 / p99 ms before → after | CPU per query before → after | after / before |',
    `|${' --- |'.repeat(6)}`,
  );
  for (const row of mainRows) {
    const b = (key: keyof Run) => of(row, 'before', key);
    const a = (key: keyof Run) => of(row, 'server', key);
    beforeLines.push(
      `| ${row.latencyMs} ms | ${row.workload.title} | ${b('rps').toFixed(0)} → ${a('rps').toFixed(0)} | ${b('p50').toFixed(0)} / ${b('p99').toFixed(0)} → ${a('p50').toFixed(0)} / ${a('p99').toFixed(0)} | ` +
        `${b('cpuPerQueryMs').toFixed(2)} → ${a('cpuPerQueryMs').toFixed(2)} ms | ${(a('cpuPerQueryMs') / b('cpuPerQueryMs')).toFixed(2)}× |`,
    );
  }
  beforeLines.push(
    '',
    `Peak RSS ${before.peakRssMb.toFixed(0)} → ${server.peakRssMb.toFixed(0)} MB.` +
      (beforeColdStartsMs.length > 0
        ? ` Cold start (median of ${beforeColdStartsMs.length}) ${median(beforeColdStartsMs).toFixed(0)} → ${median(coldStartsMs).toFixed(0)} ms.`
        : ''),
  );
}

const allRuns = rows.flatMap((row) => [...row.runs.values()].flat());
const failures = rows.reduce(
  (sum, row) => sum + [...row.runs.values()].reduce((s, runs) => s + totalOf(runs, 'failures'), 0),
  0,
);
const loadShare = Math.max(...allRuns.map((run) => run.loadCpuShare));

/** The issue's targets (#14), each against this run's own measurements. */
const checks: Array<[string, boolean]> = [];
for (const row of mainRows) {
  const ratio = of(row, 'server', 'rps') / of(row, 'baseline', 'rps');
  const cpu = of(row, 'server', 'cpuPerQueryMs');
  const name = `${row.latencyMs} ms ${row.workload.name}`;
  if (row.workload.name === 'single' && row.latencyMs === 0)
    checks.push([`${name}: CPU per query ${cpu.toFixed(2)} ms ≤ 0.40 ms`, cpu <= 0.4]);
  if (row.workload.name === 'single' && row.latencyMs === 20)
    checks.push([`${name}: ≥ 0.9× the passthrough (${ratio.toFixed(2)}×)`, ratio >= 0.9]);
  if (row.workload.name !== 'single') {
    checks.push([
      `${name}: ${row.calls.get('server')} upstream calls ≤ ${row.workload.distinct} distinct jobs`,
      (row.calls.get('server') ?? Infinity) <= row.workload.distinct,
    ]);
    const [was, source] = before
      ? [of(row, 'before', 'cpuPerQueryMs'), 'before, this run']
      : [ISSUE_BEFORE_CPU_MS[row.workload.name]!, 'the issue'];
    checks.push([
      `${name}: CPU per query ${cpu.toFixed(2)} ms ≤ half of ${was.toFixed(2)} ms (${source})`,
      cpu <= was / 2,
    ]);
  }
  const p99 = of(row, 'server', 'p99');
  const p50 = of(row, 'server', 'p50');
  checks.push([`${name}: p99 ${p99.toFixed(0)} ms < 3× p50 ${p50.toFixed(0)} ms`, p99 < 3 * p50]);
}
const singleAt0 = mainRows.find((row) => row.workload.name === 'single' && row.latencyMs === 0);
if (singleAt0 && helloRow) {
  const ratio = of(singleAt0, 'server', 'rps') / of(helloRow, 'hello', 'rps');
  checks.push([`server single-job req/s ≥ 0.6× a hello-world yoga's (${ratio.toFixed(2)}×)`, ratio >= 0.6]);
}
checks.push([`server peak RSS ${server.peakRssMb.toFixed(0)} MB ≤ 200 MB`, server.peakRssMb <= 200]);
if (coldStartsMs.length > 0)
  checks.push([
    `cold start of npm start, median of ${coldStartsMs.length}: ${median(coldStartsMs).toFixed(0)} ms ≤ 1000 ms`,
    median(coldStartsMs) <= 1000,
  ]);
checks.push([`no failed requests (${failures})`, failures === 0]);

const report = [
  `Machine: ${machine}. ${CONNECTIONS} connections, ${ROUNDS} alternating runs of ${DURATION_S} s per target and row, each round starting one target further on (each after a warm-up of about 2 s), the median of the runs shown.`,
  `Server: \`node ${startFlags('.').join(' ')} dist/main.js\` (npm start's node flags; the stages get them too), NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, UPSTREAM_CACHE_TTL_MS=0, UPSTREAM_RATE_LIMIT=0, UPSTREAM_CONCURRENCY=${UPSTREAM_CONNECTIONS}${NODE_FLAGS.length ? `, node ${NODE_FLAGS.join(' ')}` : ''}.`,
  `Baseline: scripts/benchPassthrough.ts, one signed undici call per distinct job, ${UPSTREAM_CONNECTIONS} upstream connections.`,
  `${pinned ? 'Every target pinned to CPU 0 in its turn; load generator and simulator to CPU 1' : 'No CPU pinning (taskset unavailable or one core)'}; the load side used at most ${(loadShare * 100).toFixed(0)} % of its CPU.`,
  `Peak RSS: server ${server.peakRssMb.toFixed(0)} MB, baseline ${baseline.peakRssMb.toFixed(0)} MB.`,
  ...(coldStartsMs.length > 0
    ? [
        `Cold start (\`npm start\` with dist/ fresh, spawn to first answered single-job query): ${coldStartsMs.map((ms) => ms.toFixed(0)).join(', ')} ms; median ${median(coldStartsMs).toFixed(0)} ms.`,
      ]
    : []),
  '',
  ...lines,
  ...(beforeLines.length > 0
    ? [
        '',
        `Before (BENCH_BEFORE=${BEFORE}, \`node bench/before/dist/main.js\`) and after (this tree), measured in the same rotation:`,
        '',
        ...beforeLines,
      ]
    : []),
  ...(stageLines.length > 0
    ? [
        '',
        `Per stage, at ${CALIBRATION_LATENCY} ms upstream latency, measured in the same rotation as the rows above (scripts/benchServer.ts; stages run under tsx, as the baseline does):`,
        '',
        ...stageLines,
        '',
        'What each layer costs, as the difference in CPU per query between two stages:',
        '',
        ...costLines,
      ]
    : []),
].join('\n');

console.log(`\n${report}\n`);
for (const [label, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'MISS'} ${label}`);
console.log(`\nTotal ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
if (OUT !== '-') {
  mkdirSync('bench', { recursive: true });
  writeFileSync(
    OUT,
    `# Benchmark results\n\nWritten by \`npm run bench\`.\n\n${report}\n\nTargets:\n\n${checks.map(([label, ok]) => `- ${ok ? 'met' : '**missed**'}: ${label}`).join('\n')}\n`,
  );
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
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(callFrame.url)?.[1] ??
      (callFrame.url.includes('/dist/')
        ? 'dist (our code)'
        : callFrame.url.startsWith('node:')
          ? 'node internals'
          : callFrame.url || callFrame.functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hitCount);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => `  ${((100 * hits) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(
    `\nProfile ${join(PROFILE_DIR, file)}: ${total} samples\nTop self time by function:\n${top(byFunction, 25)}\nSelf time by package:\n${top(byPackage, 15)}`,
  );
}
