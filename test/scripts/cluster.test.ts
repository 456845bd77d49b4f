// `npm run cluster`, briefly: Redis, the simulator and 3 replicas come up, each
// replica answers a query, and SIGINT stops every part.
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { findRedisBinary } from '../../scripts/redisServer.js';
import { killAll, postQuery, runScript } from '../support/processes.js';

afterEach(killAll);

const hasRedis = findRedisBinary() !== null;
// CI installs redis-server (.ci/run), so there a missing one is a failure, not a skip.
const skipCluster = !hasRedis && !process.env.CI;
if (skipCluster)
  console.warn(
    'Skipping the npm run cluster test: no redis-server or valkey-server (apt-get install redis-server to run it).',
  );

/** Whether nothing listens on the loopback port any more. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

it.skipIf(skipCluster)(
  'starts Redis, the simulator and 3 replicas that answer, and stops them all on SIGINT',
  async () => {
    // PORT=0: free ports, not 4000-4002, which a developer's own cluster may hold.
    const cluster = runScript('scripts/cluster.ts', { PORT: '0' });
    try {
      expect(await cluster.waitFor(/Ctrl-C stops them all/), cluster.output()).not.toBeNull();
      const output = cluster.output();
      const replicas = [...output.matchAll(/^ {2}replica \d +(http:\/\/127\.0\.0\.1:(\d+)\/graphql)$/gm)].map((m) => ({
        url: m[1]!,
        port: Number(m[2]),
      }));
      const redisPort = Number(/^ {2}Redis +redis:\/\/127\.0\.0\.1:(\d+) /m.exec(output)?.[1]);
      const simulatorPort = Number(/^ {2}MetaStudio +http:\/\/127\.0\.0\.1:(\d+) /m.exec(output)?.[1]);
      expect(replicas).toHaveLength(3);
      expect(new Set(replicas.map((r) => r.port)).size).toBe(3);

      for (const { url } of replicas) {
        const response = await postQuery(url, '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }');
        expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
      }

      cluster.child.kill('SIGINT');
      expect(await cluster.exitCode()).toBe(0);
      for (const port of [...replicas.map((r) => r.port), redisPort, simulatorPort])
        expect(await refused(port), `port ${port}`).toBe(true);
    } finally {
      // On a failure, the graceful way first: SIGKILL (killAll) would leave the replicas running.
      if (cluster.child.exitCode === null) {
        cluster.child.kill('SIGINT');
        await cluster.exitCode();
      }
    }
  },
);
