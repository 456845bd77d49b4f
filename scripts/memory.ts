// `npm run memory`: where the server's memory goes. The production build (dist/main.js)
// runs once per variant (node flags, optional parts on or off) against the bench's
// simulator, under the bench's single-job and `_entities` queries in turn (50 connections);
// a preloaded sampler (scripts/heapSpaces.mjs) records the peak of each V8 heap space,
// and /proc the peak RSS. Prints one markdown row per variant, for docs/performance.md#memory.
//
// Settings: MEMORY_VARIANTS (comma-separated names, default all), MEMORY_SINGLE_QUERIES and
// MEMORY_ENTITIES_QUERIES (the load: 3000 single-job queries, then 200 `_entities` ones), MEMORY_FLAGS (node flags to try, each a variant; ';' between them),
// MEMORY_IDLE_WEBSOCKETS (default 500: the idle-connection measurement).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { measure, peakRssMb } from './benchMeasure.js';
import { pinned, startBenchSimulator, startFlags, startTarget, stop, type Target } from './benchTargets.js';
import { ALL_WORKLOADS } from './benchWorkloads.js';
import { type RedisServer, startRedisServer } from './redisServer.js';

const QUERIES: Record<string, number> = {
  single: Number(process.env.MEMORY_SINGLE_QUERIES ?? 3000),
  entities: Number(process.env.MEMORY_ENTITIES_QUERIES ?? 200),
};
const IDLE_WEBSOCKETS = Number(process.env.MEMORY_IDLE_WEBSOCKETS ?? 500);
const START_FLAGS = startFlags('.');
const MB = 2 ** 20;

interface Variant {
  name: string;
  flags: string[];
  settings?: Record<string, string>;
  redis?: true;
  /** Opens this many idle WebSocket connections, instead of the load, and reports the RSS each costs. */
  idleWebSockets?: number;
}

const VARIANTS: Variant[] = [
  { name: 'npm start', flags: START_FLAGS },
  { name: 'before (issue 21)', flags: ['--enable-source-maps', '--max-semi-space-size=32'] },
  { name: "V8's defaults (no flags)", flags: [] },
  { name: 'npm start + source maps', flags: [...START_FLAGS, '--enable-source-maps'] },
  { name: 'npm start with 16 MB semi-spaces', flags: [...START_FLAGS, '--max-semi-space-size=16'] },
  { name: 'npm start with 8 MB semi-spaces', flags: [...START_FLAGS, '--max-semi-space-size=8'] },
  { name: 'npm start + page cache at its defaults', flags: START_FLAGS, settings: { UPSTREAM_CACHE_TTL_MS: '5000' } },
  { name: 'npm start + GraphiQL', flags: START_FLAGS, settings: { GRAPHIQL: 'true' } },
  // Spans are exported to a port nobody listens on: the export fails, the spans are made all the same.
  { name: 'npm start + tracing', flags: START_FLAGS, settings: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } },
  { name: 'npm start + Redis', flags: START_FLAGS, redis: true },
  { name: 'npm start + idle WebSockets', flags: START_FLAGS, idleWebSockets: IDLE_WEBSOCKETS },
];
const chosen = process.env.MEMORY_VARIANTS?.split(',');
const variants: Variant[] = [
  ...(chosen ? VARIANTS.filter((v) => chosen.includes(v.name)) : VARIANTS),
  // Each MEMORY_FLAGS entry (separated by ';'), a variant of its own, for trying flags.
  ...(process.env.MEMORY_FLAGS?.split(';') ?? []).map((flags) => ({ name: flags, flags: flags.split(' ') })),
];

interface Sampled {
  peaks: Record<string, { used: number; size: number }>;
  heapSizeLimit: number;
}

async function sampled(target: Target, file: string): Promise<Sampled> {
  target.process.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Sampled;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`${target.name}: no heap samples`);
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Opens `count` graphql-transport-ws connections (acknowledged, no operation) and returns the RSS they add, per connection. */
async function idleWebSocketCost(
  target: Target,
  count: number,
): Promise<{ perConnectionKb: number; sockets: WebSocket[] }> {
  const url = target.url.replace(/^http/, 'ws');
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return rssMb(target.process.pid!);
  };
  const before = await settle();
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.once('message', () => resolve());
      socket.once('error', reject);
    });
    sockets.push(socket);
  }
  const after = await settle();
  return { perConnectionKb: ((after - before) * 1024) / count, sockets };
}

// The load generator beside the simulator on CPU 1, as in the benchmark; the server is on CPU 0.
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
const simulator = startBenchSimulator();
const upstream = await simulator.ready();
const rows: string[] = [];
const spaces = ['new_space', 'old_space', 'code_space', 'large_object_space', 'new_large_object_space', 'external'];
try {
  for (const variant of variants) {
    const file = join(tmpdir(), `heap-spaces-${process.pid}.json`);
    rmSync(file, { force: true });
    let redis: RedisServer | undefined;
    if (variant.redis) redis = await startRedisServer();
    const target = await startTarget(
      variant.name,
      [...variant.flags, '--import', './scripts/heapSpaces.mjs', 'dist/main.js'],
      upstream,
      { ...variant.settings, ...(redis ? { REDIS_URL: redis.url } : {}), HEAP_SPACES_OUT: file },
    );
    const startRss = rssMb(target.process.pid!);
    const throughput: string[] = [];
    let extra = '';
    try {
      if (variant.idleWebSockets) {
        const { perConnectionKb, sockets } = await idleWebSocketCost(target, variant.idleWebSockets);
        extra = `${variant.idleWebSockets} idle WebSockets: ${perConnectionKb.toFixed(1)} KB RSS each`;
        for (const socket of sockets) socket.terminate();
      } else {
        for (const workload of ALL_WORKLOADS.filter((w) => w.name !== 'dashboard')) {
          // A number of queries, not a time: what builds up until a collection is the garbage they leave.
          const run = await measure(target, { ...workload, warmup: QUERIES[workload.name]! }, 0, simulator);
          throughput.push(`${workload.name} ${run.rps.toFixed(0)}/s, ${run.cpuPerQueryMs.toFixed(2)} ms CPU`);
          if (run.failures) extra += ` ${run.failures} FAILURES`;
        }
      }
      const endRss = rssMb(target.process.pid!);
      const { peaks, heapSizeLimit } = await sampled(target, file);
      target.peakRssMb = peakRssMb(target.process.pid!);
      const cells = spaces.map((name) => {
        const peak = peaks[name];
        return peak ? `${(peak.used / MB).toFixed(0)} / ${(peak.size / MB).toFixed(0)}` : '–';
      });
      rows.push(
        `| ${variant.name} | ${startRss.toFixed(0)} | ${endRss.toFixed(0)} | ${target.peakRssMb.toFixed(0)} | ${cells.join(' | ')} | ${(heapSizeLimit / MB).toFixed(0)} | ${[...throughput, extra].filter(Boolean).join('; ')} |`,
      );
      console.log(rows.at(-1));
    } finally {
      await stop(target.process);
      await redis?.stop();
      rmSync(file, { force: true });
    }
  }
} finally {
  simulator.process.disconnect();
}

console.log(
  `\n| variant | RSS at start (MB) | RSS after the load (MB) | peak RSS (MB) | ${spaces.map((s) => `${s} peak used / committed (MB)`).join(' | ')} | heap limit (MB) | load |`,
);
console.log(`|${' --- |'.repeat(spaces.length + 6)}`);
for (const row of rows) console.log(row);
