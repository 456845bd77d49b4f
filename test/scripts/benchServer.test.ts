// Every calibration stage of the benchmark must answer the benchmark's query as
// the server does, from one upstream call; a stage that answered less, or
// nothing, would make its row cheaper than the work it stands for.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBenchServer, STAGES } from '../../scripts/benchServer.js';
import { startHarness, type Harness } from '../support/harness.js';

const QUERY =
  '{ trainingJob(jobId: "job-long-history") { operations(first: 3) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { time action operator externalInfo { reviewIdList } } } } } }';

async function post(url: string, query: string): Promise<unknown> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.body.json();
}

describe('bench servers', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let expected: unknown;
  beforeAll(async () => {
    h = await startHarness();
    env = {
      NODE_ENV: 'production',
      // The app stages' lines go to the run's secret check like any other.
      LOG_LEVEL: 'info',
      METASTUDIO_ENDPOINT: h.simulator.url,
      METASTUDIO_PROJECT_ID: h.simulator.projectId,
      CLOUD_SDK_AK: h.simulator.credentials.accessKey,
      CLOUD_SDK_SK: h.simulator.credentials.secretKey,
      UPSTREAM_CACHE_TTL_MS: '0',
      UPSTREAM_RATE_LIMIT: '0',
    };
    expected = await h.query(QUERY);
  });
  afterAll(() => h.close());

  it('the hello-world stage says hello', async () => {
    const server = await startBenchServer('hello', env);
    try {
      expect(await post(server.url, '{ hello }')).toEqual({ data: { hello: 'world' } });
    } finally {
      await server.close();
    }
  });

  it.each(Object.keys(STAGES).filter((stage) => stage !== 'hello'))(
    '%s answers as the server does, with one upstream call',
    async (stage) => {
      const server = await startBenchServer(stage, env);
      try {
        h.simulator.reset();
        expect(await post(server.url, QUERY)).toEqual(expected);
        expect(h.simulator.requests.map((r) => [r.jobId, r.offset, r.limit])).toEqual([['job-long-history', '0', '3']]);
      } finally {
        await server.close();
      }
    },
  );
});
