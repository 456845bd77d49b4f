// The benchmark's settings, from the environment: BENCH_LATENCY_MS (comma-separated,
// default "0,20"), BENCH_DURATION_S (per run, default 3), BENCH_ROUNDS (default 5),
// BENCH_WORKLOADS (default "single,dashboard,entities,list"), BENCH_BEFORE (a git
// commit to measure as "before"; default main just before issue 14's cuts,
// none with BENCH_QUICK; "none" for none), BENCH_STAGES (the
// calibration stages, default all; "none" for none), BENCH_COLD_STARTS (default 5;
// 0 skips), BENCH_QUICK=1 (for iterating: 1 round of 3 s, 0 ms only, the single-job
// workload only, 3 cold starts, unless set otherwise), BENCH_LOG_LEVEL (the
// servers' LOG_LEVEL, default warn), BENCH_NODE_FLAGS (extra node flags for every
// target), BENCH_CPU_PROF=1 (profile the server with --cpu-prof and print its top
// self-time functions), BENCH_OUT (default bench/results.md; "-" writes nothing).
import { STAGE_TITLES } from './benchStages.js';

const env = process.env;
export const QUICK = env.BENCH_QUICK === '1';
export const LATENCIES = (env.BENCH_LATENCY_MS ?? (QUICK ? '0' : '0,20')).split(',').map(Number);
export const DURATION_S = Number(env.BENCH_DURATION_S ?? 3);
// Several short rounds and their median: on a shared machine a round now and then
// runs two or three times slower for every target alike, which a mean passes on.
export const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 5));
export const COLD_STARTS = Number(env.BENCH_COLD_STARTS ?? (QUICK ? 3 : 5));
export const WORKLOAD_NAMES = (env.BENCH_WORKLOADS ?? (QUICK ? 'single' : 'single,dashboard,entities,list')).split(',');
export const CONNECTIONS = 50;
export const JOBS = 2_000;
export const UPSTREAM_CONNECTIONS = 256;
export const LOG_LEVEL = env.BENCH_LOG_LEVEL ?? 'warn';
export const NODE_FLAGS = (env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
export const CPU_PROF = env.BENCH_CPU_PROF === '1';
export const PROFILE_DIR = 'bench/profile';
export const OUT = env.BENCH_OUT ?? 'bench/results.md';
/** main just before issue 14's cuts were merged: the "before" of its before/after figures. */
const DEFAULT_BEFORE = '57187daaea176533e62ef0d756f9e81ee8ad22c4';
const BEFORE_REF = env.BENCH_BEFORE ?? (QUICK ? 'none' : DEFAULT_BEFORE);
export const BEFORE = BEFORE_REF !== 'none' ? BEFORE_REF : null;
export const BEFORE_DIR = 'bench/before';
/** Calibration is measured where the servers are busiest: no upstream latency. */
export const CALIBRATION_LATENCY = 0;

export const STAGES = env.BENCH_STAGES === 'none' ? [] : (env.BENCH_STAGES?.split(',') ?? Object.keys(STAGE_TITLES));
for (const stage of STAGES)
  if (!Object.hasOwn(STAGE_TITLES, stage))
    throw new Error(`BENCH_STAGES: no stage "${stage}"; the stages are ${Object.keys(STAGE_TITLES).join(', ')}`);
