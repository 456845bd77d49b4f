// `npm run soak`: a bounded soak of the real server process against the
// simulator with one upstream request in five faulted. It checks the invariants
// that matter when MetaStudio misbehaves for a while, and exits 1 if one breaks:
// no 5xx from us, no unhandled rejection, every query answered, and the server
// inside a container's memory: it runs with the node flags the image would give
// it under a limit of SOAK_MEMORY_LIMIT_MIB (default 256; scripts/nodeFlags.sh)
// and its peak RSS must stay within that limit.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { Pool } from 'undici';
import { startSimulator, type Fault } from '../src/simulator/simulator.js';

const QUERIES = Number(process.env.SOAK_QUERIES ?? 3000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 50);
const FAULT_RATE = 0.2;
const MEMORY_LIMIT_MIB = Number(process.env.SOAK_MEMORY_LIMIT_MIB ?? 256);
/** The container's limit in MB, as RSS is read (VmHWM, in KiB / 1024). */
const MAX_RSS_MB = MEMORY_LIMIT_MIB;
const NODE_FLAGS = execFileSync('sh', ['scripts/nodeFlags.sh', String(MEMORY_LIMIT_MIB * 2 ** 20)])
  .toString()
  .trim()
  .split(' ');

const FAULTS: Fault[] = [
  { kind: 'status', status: 503 },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 502 },
  { kind: 'status', status: 429, errorCode: 'APIGW.0308', retryAfterSeconds: 0 },
  { kind: 'reset' },
  { kind: 'non-json', status: 502 },
  { kind: 'wrong-shape' },
  { kind: 'delay', ms: 300 },
  { kind: 'hang' },
];

const JOBS = [
  'job-complete',
  'job-admin-rejected',
  'job-algorithm-failed',
  'job-long-history',
  'job-empty',
  'job-drift',
];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function randomQuery(): { query: string; variables: Record<string, unknown> } {
  const roll = Math.random();
  if (roll < 0.5) {
    return {
      query:
        'query Job($id: ID!) { trainingJob(jobId: $id) { operations(first: 10) { totalCount edges { cursor node { action time } } } } }',
      variables: { id: pick(JOBS) },
    };
  }
  if (roll < 0.8) {
    return {
      query:
        'query Dashboard($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations(limit: 3) { totalCount nodes { action } } } }',
      variables: { ids: Array.from({ length: 8 }, () => pick(JOBS)) },
    };
  }
  return {
    query:
      'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations(limit: 5) { totalCount } } } }',
    variables: { r: Array.from({ length: 10 }, () => ({ __typename: 'TrainingJob', jobId: pick(JOBS) })) },
  };
}

/** Peak resident set size of a process, from the kernel's high-water mark. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

// The production build, as operators run it, so the RSS measured is the server's own.
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const simulator = await startSimulator({
  recordRequests: false,
  latencyMs: 5,
  randomFaults: { rate: FAULT_RATE, faults: FAULTS },
});
// Unhandled rejections are printed as warnings and counted, instead of ending the process at the first.
const server = spawn(process.execPath, [...NODE_FLAGS, '--unhandled-rejections=warn', 'dist/main.js'], {
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    METASTUDIO_ENDPOINT: simulator.url,
    METASTUDIO_PROJECT_ID: simulator.projectId,
    CLOUD_SDK_AK: simulator.credentials.accessKey,
    CLOUD_SDK_SK: simulator.credentials.secretKey,
    // Short enough that hangs cost seconds, not minutes; a budget the soak can actually press on;
    // no page cache, so every query really goes upstream (identical calls in flight are still joined).
    UPSTREAM_TIMEOUT_MS: '1000',
    UPSTREAM_DEADLINE_MS: '3000',
    UPSTREAM_RATE_LIMIT: '500',
    UPSTREAM_CACHE_TTL_MS: '0',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
let exited = false;
server.once('exit', () => (exited = true));

const started = Date.now();
while (!/GraphiQL at (http:\/\/[^\s"]+)/.test(output)) {
  if (exited || Date.now() - started > 20_000) {
    console.error(`the server did not start:\n${output}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const url = new URL(/GraphiQL at (http:\/\/[^\s"]+)/.exec(output)![1]!);
const pool = new Pool(url.origin, { connections: CONCURRENCY });

const counts = { answered: 0, http5xx: 0, otherHttp: 0, transportErrors: 0, withErrors: 0 };
const errorCodes = new Map<string, number>();
let next = 0;

async function worker(): Promise<void> {
  while (next < QUERIES) {
    next += 1;
    try {
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify(randomQuery()),
      });
      const text = await response.body.text();
      if (response.statusCode >= 500) counts.http5xx += 1;
      else if (response.statusCode !== 200) counts.otherHttp += 1;
      else {
        counts.answered += 1;
        const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
        if (body.errors) counts.withErrors += 1;
        for (const error of body.errors ?? []) {
          const code = error.extensions?.code ?? 'NONE';
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        }
      }
    } catch {
      counts.transportErrors += 1;
    }
  }
}

const soakStarted = Date.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (Date.now() - soakStarted) / 1000;
const rssMb = exited ? Number.NaN : peakRssMb(server.pid!);
const unhandled = (output.match(/UnhandledPromiseRejectionWarning/g) ?? []).length;
const serverAlive = !exited;

server.kill('SIGTERM');
await Promise.race([once(server, 'exit'), new Promise((resolve) => setTimeout(resolve, 5000))]);
await pool.close();
await simulator.close();

const checks: Array<[string, boolean]> = [
  [`every query answered (${counts.answered}/${QUERIES})`, counts.answered === QUERIES],
  [`HTTP 5xx from our server: ${counts.http5xx}`, counts.http5xx === 0],
  [`unhandled rejections: ${unhandled}`, unhandled === 0],
  [`server still up at the end: ${serverAlive}`, serverAlive],
  [`peak RSS ${rssMb.toFixed(0)} MB ≤ ${MAX_RSS_MB} MB (node ${NODE_FLAGS.join(' ')})`, rssMb <= MAX_RSS_MB],
];
console.log(
  `Soak: ${QUERIES} queries, ${CONCURRENCY} concurrent clients, ${FAULT_RATE * 100}% of upstream requests faulted, ${seconds.toFixed(1)} s`,
);
console.log(
  `  queries answered:        ${counts.answered} (${counts.withErrors} with field errors), other HTTP ${counts.otherHttp}, transport errors ${counts.transportErrors}`,
);
console.log(
  `  upstream calls per query: ${(simulator.requestCount / QUERIES).toFixed(2)} (${simulator.requestCount} requests)`,
);
console.log(`  error codes:             ${[...errorCodes].map(([code, n]) => `${code} ${n}`).join(', ') || 'none'}`);
for (const [label, ok] of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}`);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);
