// The benchmark's measurements: a run of load on one target under autocannon, with
// the target's CPU per query read from /proc, upstream calls per query counted at
// the simulator, and peak RSS.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { CONNECTIONS } from './benchSettings.js';
import { ask, type BenchSimulator, isBaseline, isWhole, type Target } from './benchTargets.js';
import type { Workload } from './benchWorkloads.js';

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process's peak resident set (VmHWM), in MB; gone once it has exited. */
export function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export interface Run {
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
export async function measure(
  target: Target,
  workload: Workload,
  seconds: number,
  simulator: BenchSimulator,
): Promise<Run> {
  const cpuBefore = cpuSeconds(target.process.pid!);
  const loadBefore = process.cpuUsage();
  const simBefore = cpuSeconds(simulator.process.pid!);
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
    loadCpuShare: ((load.user + load.system) / 1e6 + cpuSeconds(simulator.process.pid!) - simBefore) / seconds,
  };
}

/** The upstream request count once the previous run's last queries have drained. */
async function quiescentUpstreamCount(simulator: BenchSimulator): Promise<number> {
  let count = await simulator.upstreamCount();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await simulator.upstreamCount();
    if (now === count) return now;
    count = now;
  }
}

/** Sends a few queries one at a time: exact upstream calls per query, and a check that the answers are whole. */
export async function probe(target: Target, workload: Workload, simulator: BenchSimulator): Promise<number> {
  const queries = 5;
  const before = await quiescentUpstreamCount(simulator);
  for (let i = 0; i < queries; i++) {
    const answer = await ask(target, bodyFor(target, workload));
    if (!isWhole(answer))
      throw new Error(
        `${target.name} answered ${workload.name} with ${answer.statusCode}: ${answer.text.slice(0, 500)}`,
      );
  }
  return ((await simulator.upstreamCount()) - before) / queries;
}

/** One workload at one latency: every target's runs and upstream calls per query. */
export interface Row {
  latencyMs: number;
  workload: Workload;
  runs: Map<string, Run[]>;
  calls: Map<string, number>;
}
/** The middle value (the mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
    : sorted[Math.floor(middle)]!;
}
