// The benchmark's report: the tables of bench/results.md and the issue's targets,
// each checked against the run's own measurements, and the server's CPU profile.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { median, type Row, type Run } from './benchMeasure.js';
import {
  BEFORE,
  CALIBRATION_LATENCY,
  CONNECTIONS,
  DURATION_S,
  LOG_LEVEL,
  NODE_FLAGS,
  PROFILE_DIR,
  ROUNDS,
  UPSTREAM_CONNECTIONS,
} from './benchSettings.js';
import { STAGE_TITLES, type StageName } from './benchStages.js';
import { pinned, startFlags, type Target } from './benchTargets.js';
import { HELLO } from './benchWorkloads.js';

/** The issue's (#14) figures for the server before this work, when no before is measured. */
const ISSUE_BEFORE_CPU_MS: Record<string, number> = { dashboard: 2.78, entities: 5.2 };

interface BenchRun {
  rows: Row[];
  /** Every target, stopped, with its peak RSS read. */
  targets: Target[];
  /** Whether the calibration stages ran (the calibration latency was measured). */
  calibrating: boolean;
  coldStartsMs: number[];
  beforeColdStartsMs: number[];
  /** The machine's 1-minute load average at the start and the end. */
  loadAtStart: string;
  loadAtEnd: string;
}

/** The report's markdown and the targets, each with whether this run met it. */
export function benchReport(run: BenchRun): { report: string; checks: Array<[string, boolean]> } {
  const { rows, targets, calibrating, coldStartsMs, beforeColdStartsMs, loadAtStart, loadAtEnd } = run;
  const named = (name: string) => targets.find((target) => target.name === name);
  const server = named('server')!;
  const baseline = named('baseline')!;
  const before = named('before');
  const stages = targets.filter((target) => Object.hasOwn(STAGE_TITLES, target.name));
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${loadAtStart} at the start and ${loadAtEnd} at the end`;
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
    for (const row of mainRows.filter((r) => r.runs.has('before'))) {
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

  const totalOf = (runs: Run[], key: keyof Run) => runs.reduce((total, run) => total + run[key], 0);
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
      // Issue 14's halving, for the workloads it set it on.
      if (Object.hasOwn(ISSUE_BEFORE_CPU_MS, row.workload.name)) {
        const [was, source] = before
          ? [of(row, 'before', 'cpuPerQueryMs'), 'before, this run']
          : [ISSUE_BEFORE_CPU_MS[row.workload.name]!, 'the issue'];
        checks.push([
          `${name}: CPU per query ${cpu.toFixed(2)} ms ≤ half of ${was.toFixed(2)} ms (${source})`,
          cpu <= was / 2,
        ]);
      }
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
  return { report, checks };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** The server's top self-time functions, and self time by package, from its --cpu-prof profile. */
export function printProfile(): void {
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
