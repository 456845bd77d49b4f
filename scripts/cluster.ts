// `npm run cluster`: the server as operators run it, on one machine: Redis (unless
// REDIS_URL is set), the MetaStudio simulator, and 3 replicas on consecutive
// ports from PORT (default 4000), all sharing the simulator's tenant and Redis.
// Says where each is, prefixes each replica's log lines, and stops everything
// on Ctrl-C (or SIGTERM); exits 1 when a part fails to start or dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startSimulator } from '../src/simulator/simulator.js';
import { startRedisServer, stopChild, type RedisServer } from './redisServer.js';

const REPLICAS = 3;

const base = Number(process.env.PORT || 4000);
if (!Number.isInteger(base) || base < 0 || base > 65535 - (REPLICAS - 1)) {
  console.error(`PORT must be a whole number from 0 to ${65535 - (REPLICAS - 1)} (0: any free ports)`);
  process.exit(1);
}

interface Replica {
  child: ChildProcess;
  /** Resolves with the GraphQL URL once it listens, or null if it exits first. */
  started: Promise<string | null>;
}

function startReplica(index: number, env: NodeJS.ProcessEnv): Replica {
  // node itself with tsx as a loader, not the tsx wrapper, so that signals reach the server.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[replica ${index + 1}]`;
  const started = new Promise<string | null>((resolve) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        console.log(`${prefix} ${line}`);
        const url = /GraphiQL at (http:\/\/\S+\/graphql)/.exec(line)?.[1];
        if (url) resolve(url);
      });
    }
    child.once('exit', () => resolve(null));
  });
  return { child, started };
}

let redis: RedisServer | undefined;
let redisUrl = process.env.REDIS_URL;
if (!redisUrl) {
  try {
    redis = await startRedisServer();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  redisUrl = redis.url;
}
const simulator = await startSimulator({ recordRequests: false });

// The caller's environment (limits, log level...) minus anything naming another upstream.
const {
  CLOUD_SDK_SECURITY_TOKEN: _token,
  HUAWEICLOUD_SDK_AK: _ak,
  HUAWEICLOUD_SDK_SK: _sk,
  HUAWEICLOUD_SDK_SECURITY_TOKEN: _hwToken,
  HUAWEICLOUD_SDK_PROJECT_ID: _hwProject,
  ...inherited
} = process.env;
const replicas = Array.from({ length: REPLICAS }, (_, index) =>
  startReplica(index, {
    ...inherited,
    PORT: String(base === 0 ? 0 : base + index),
    METASTUDIO_ENDPOINT: simulator.url,
    METASTUDIO_PROJECT_ID: simulator.projectId,
    CLOUD_SDK_AK: simulator.credentials.accessKey,
    CLOUD_SDK_SK: simulator.credentials.secretKey,
    REDIS_URL: redisUrl,
  }),
);

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  await Promise.all(replicas.map(({ child }) => stopChild(child)));
  await simulator.close();
  await redis?.stop();
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

const urls = await Promise.all(replicas.map((replica) => replica.started));
if (urls.includes(null)) {
  console.error('A replica did not start (its lines are above): stopping the cluster.');
  await stop(1);
}
for (const { child } of replicas) {
  child.once('exit', (code, signal) => {
    if (stopping) return;
    // Ctrl-C reaches the whole process group: a replica may have shut down on it before we did.
    if (code === 0) return void stop(0);
    console.error(`A replica exited (${signal ?? code}): stopping the cluster.`);
    void stop(1);
  });
}
const redisLine = redis
  ? `${redis.url} (${redis.version}, in memory, started here)`
  : `${redisUrl?.replace(/\/\/[^@/]*@/, '//***@')} (REDIS_URL)`;
console.log(
  [
    `Local cluster of ${REPLICAS} replicas, sharing one MetaStudio tenant and one Redis:`,
    `  Redis       ${redisLine}`,
    `  MetaStudio  ${simulator.url} (the simulator)`,
    ...urls.map((url, index) => `  replica ${index + 1}   ${url}`),
    'Ctrl-C stops them all.',
  ].join('\n'),
);
