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
//
// The settings are in scripts/benchSettings.ts, the workloads in
// scripts/benchWorkloads.ts, the target processes in scripts/benchTargets.ts, a run
// of load in scripts/benchMeasure.ts and the tables in scripts/benchReport.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { measure, median, peakRssMb, probe, type Row } from './benchMeasure.js';
import { benchReport, printProfile } from './benchReport.js';
import {
  BEFORE,
  BEFORE_DIR,
  CALIBRATION_LATENCY,
  COLD_STARTS,
  CPU_PROF,
  DURATION_S,
  LATENCIES,
  OUT,
  PROFILE_DIR,
  ROUNDS,
  STAGES,
} from './benchSettings.js';
import { coldStart, isMain, pinned, startBenchSimulator, startFlags, startTarget, stop } from './benchTargets.js';
import { answers, HELLO, WORKLOADS } from './benchWorkloads.js';

const simulator = startBenchSimulator();

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

const upstream = await simulator.ready();

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

const rows: Row[] = [];
try {
  for (const latencyMs of LATENCIES) {
    await simulator.setLatency(latencyMs);
    const workloads = latencyMs === CALIBRATION_LATENCY && STAGES.includes('hello') ? [...WORKLOADS, HELLO] : WORKLOADS;
    for (const workload of workloads) {
      const taking = targets.filter((target) =>
        workload === HELLO
          ? answers(target.name, workload)
          : (isMain(target) || latencyMs === CALIBRATION_LATENCY) && answers(target.name, workload),
      );
      const row: Row = { latencyMs, workload, runs: new Map(), calls: new Map() };
      for (const target of taking) row.calls.set(target.name, await probe(target, workload, simulator));
      // JIT and connection warm-up, not counted.
      for (const target of taking) await measure(target, workload, 0, simulator);
      for (let round = 0; round < ROUNDS; round++) {
        // Each round starts one target further on, so that no target always runs
        // first after a long idle spell (that run was the slowest in a round).
        const start = round % taking.length;
        for (const target of [...taking.slice(start), ...taking.slice(0, start)]) {
          const run = await measure(target, workload, DURATION_S, simulator);
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
  simulator.process.disconnect();
}

const { report, checks } = benchReport({
  rows,
  targets,
  calibrating,
  coldStartsMs,
  beforeColdStartsMs,
  loadAtStart,
  loadAtEnd: loadAverage(),
});
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
