// Scoping behind Hive Gateway: with the caller's Authorization forwarded as
// docs/federation.md shows, our subgraph knows each caller through `_entities`
// as it does directly: it refuses one without a valid app user id, and answers
// another user's job exactly as an unknown one.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { voiceModelsSchema } from '../../examples/voice-models/schema.js';
import { createGateway } from '../../scripts/hiveGateway.js';
import { composeSupergraph } from '../../scripts/supergraph.js';
import { createApp } from '../../src/app.js';
import { LiveJobs } from '../../src/live/liveJobs.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient } from '../../src/upstream/client.js';
import { registerSecret } from '../support/runSecrets.js';
import { TEST_SECRETS } from '../support/secrets.js';
import { simulatorClient } from '../support/simulatorClient.js';

const SECRET = TEST_SECRETS.authJwtSecret;
const CLAIM = 'app_user_id';

let simulator: Simulator;
let client: MetaStudioClient;
let live: LiveJobs;
const servers: Server[] = [];
let gateway: ReturnType<typeof createGateway>;

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  simulator = await startSimulator();
  registerSecret(simulator.credentials.secretKey);
  client = simulatorClient(simulator);
  live = new LiveJobs(client);
  const auth = { mode: 'jwt' as const, secret: SECRET, appUserClaim: CLAIM, allJobsScope: 'jobs:read-all' };
  const oplogsUrl = await listen(createApp({ client, live, security: { ...DEFAULT_SECURITY, auth } }));
  // Composed from the same schema served without authentication, then pointed at the scoped server.
  const openUrl = await listen(createApp({ client, live }));
  const voiceModelsUrl = await listen(createYoga({ schema: voiceModelsSchema, landingPage: false }));
  const supergraph = (
    await composeSupergraph([
      { name: 'oplogs', url: openUrl },
      { name: 'voice-models', url: voiceModelsUrl },
    ])
  ).replaceAll(openUrl, oplogsUrl);
  gateway = createGateway(supergraph, {
    logging: false,
    // As docs/federation.md shows it.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'oplogs'
          ? { authorization: request.headers.get('authorization'), 'x-api-key': request.headers.get('x-api-key') }
          : undefined,
    },
  });
});

afterAll(async () => {
  await gateway?.dispose();
  for (const server of servers) server.close();
  live?.close();
  await client?.close();
  await simulator?.close();
});

beforeEach(() => simulator.reset());

const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

/** The voice models' first `first` jobs, through the gateway. */
async function ask(claims: Record<string, unknown>, first = 1) {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(claims)}` },
    body: JSON.stringify({
      query: `{ voiceModels(first: ${first}) { nodes { name trainingJob { jobId operations(limit: 1) { totalCount } } } } }`,
    }),
  });
  return (await response.json()) as {
    data?: {
      voiceModels: {
        nodes: { trainingJob: { jobId: string; operations: { totalCount: number } | null } | null }[];
      } | null;
    };
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
  };
}

describe('through Hive Gateway', () => {
  it("forwards the caller's token: _entities is served to a caller with an app user id", async () => {
    const answer = await ask({ [CLAIM]: 'user-alice' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.voiceModels?.nodes[0]?.trainingJob?.operations?.totalCount).toBe(7);
  });

  it('refuses _entities to a caller without a valid app user id, with no upstream call', async () => {
    for (const claims of [{}, { [CLAIM]: 'alice smith' }]) {
      const answer = await ask(claims);
      expect(answer.data?.voiceModels?.nodes[0]?.trainingJob?.operations ?? null).toBeNull();
      expect(answer.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    }
    expect(simulator.requests).toEqual([]);
  });

  it("answers another user's job through _entities exactly as an unknown one, with no op-logs call", async () => {
    // vm-3 is trained by Bob's job-admin-rejected.
    const answer = await ask({ [CLAIM]: 'user-alice' }, 7);
    const nodes = answer.data?.voiceModels?.nodes ?? [];
    const bobs = nodes.findIndex((node) => node.trainingJob?.jobId === 'job-admin-rejected');
    expect(bobs).toBeGreaterThanOrEqual(0);
    expect(nodes[bobs]?.trainingJob?.operations).toBeNull();
    // The gateway does not map _entities error paths back to each node, so the refusal is found by what it says:
    // only what the subgraph says of an unknown job too.
    expect(answer.errors).toContainEqual({
      message: 'MetaStudio does not know this training job',
      path: expect.any(Array),
      extensions: { code: 'UPSTREAM_NOT_FOUND', status: 404, serviceName: 'oplogs' },
    });
    const routes = simulator.requests.filter((r) => r.jobId === 'job-admin-rejected').map((r) => r.route);
    expect(routes).toEqual(['job']);
    // Alice's own job, in the same answer, is served.
    const own = nodes.find((node) => node.trainingJob?.jobId === 'job-complete');
    expect(own?.trainingJob?.operations?.totalCount).toBe(7);
  });
});
