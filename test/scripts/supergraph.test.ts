// Federation proven in a real supergraph: our subgraph and the voice-models
// example on loopback ports, composed from their live `_service { sdl }`, behind
// Hive Gateway's runtime. Counts what reaches our server and the upstream.
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VOICE_MODELS, voiceModelsSchema } from '../../examples/voice-models/schema.js';
import { createGateway } from '../../scripts/hiveGateway.js';
import { composeSupergraph, SupergraphError } from '../../scripts/supergraph.js';
import { createApp } from '../../src/app.js';
import { LiveJobs } from '../../src/live/liveJobs.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient } from '../../src/upstream/client.js';
import type { GraphQLResult } from '../support/harness.js';
import { killAll, postQuery, runScript } from '../support/processes.js';
import { registerSecret } from '../support/runSecrets.js';
import { simulatorClient } from '../support/simulatorClient.js';
import { LIVE_LIFECYCLE } from '../support/liveLifecycle.js';

let simulator: Simulator;
let client: MetaStudioClient;
const servers: Server[] = [];
let oplogsUrl: string;
let voiceModelsUrl: string;
let supergraph: string;
let gateway: ReturnType<typeof createGateway>;
/** Every HTTP request our subgraph's server received. */
let received = 0;
/** The GraphQL documents the gateway sent to our subgraph. */
let sentToOplogs: string[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

beforeAll(async () => {
  simulator = await startSimulator();
  registerSecret(simulator.credentials.secretKey);
  client = simulatorClient(simulator);
  // Short polls, so a live job's subscription through the gateway runs its course quickly.
  const oplogs = await listen(createApp({ client, live: new LiveJobs(client, { pollMs: 50, pollMaxMs: 50 }) }));
  oplogs.server.on('request', () => received++);
  oplogsUrl = oplogs.url;
  voiceModelsUrl = (await listen(createYoga({ schema: voiceModelsSchema, landingPage: false }))).url;

  supergraph = await composeSupergraph([
    { name: 'oplogs', url: oplogsUrl },
    { name: 'voice-models', url: voiceModelsUrl },
  ]);
  gateway = createGateway(supergraph, {
    logging: false,
    plugins: () => [
      {
        onFetch({ url, options }) {
          if (url === oplogsUrl) sentToOplogs.push(JSON.parse(String(options.body)).query);
        },
      },
    ],
  });
});

afterAll(async () => {
  await gateway?.dispose();
  for (const server of servers) server.close();
  await client?.close();
  await simulator?.close();
});

beforeEach(() => {
  simulator.reset();
  received = 0;
  sentToOplogs = [];
});

afterEach(killAll);

async function query<T>(document: string): Promise<GraphQLResult<T>> {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document }),
  });
  return response.json();
}

interface Models {
  voiceModels: {
    nodes: Array<{
      id: string;
      trainingJob: { jobId: string; operations: { totalCount: number; nodes: Array<{ action: string }> } | null };
    }>;
  };
}

describe('composition', () => {
  it('composes our subgraph with a second Relay-style subgraph that has its own PageInfo', () => {
    expect(supergraph).toMatch(
      /type TrainingJob @join__type\(graph: OPLOGS, key: "jobId"\) @join__type\(graph: VOICE_MODELS, key: "jobId", resolvable: false\)/,
    );
    expect(supergraph).toMatch(/type PageInfo @join__type\(graph: OPLOGS\) @join__type\(graph: VOICE_MODELS\)/);
  });

  it('reads our SDL from the running server, linking Federation v2.3 or newer', async () => {
    const response = await postQuery(oplogsUrl, '{ _service { sdl } }');
    const { data } = (await response.json()) as { data: { _service: { sdl: string } } };
    const [, minor] = /specs\.apollo\.dev\/federation\/v2\.(\d+)/.exec(data._service.sdl) ?? [];
    expect(Number(minor)).toBeGreaterThanOrEqual(3);
  });

  it('fails naming the conflict when the other PageInfo is not @shareable', async () => {
    const unshared = await listen(
      createYoga({
        schema: buildSubgraphSchema({
          typeDefs: parse(`
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
            type Query { models: Page! }
            type Page { pageInfo: PageInfo! }
            type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
          `),
        }),
      }),
    );
    const failure = composeSupergraph([
      { name: 'oplogs', url: oplogsUrl },
      { name: 'unshared', url: unshared.url },
    ]);
    await expect(failure).rejects.toThrow(SupergraphError);
    await expect(failure).rejects.toThrow(/\[INVALID_FIELD_SHARING\] Non-shareable field "PageInfo\.hasNextPage"/);
  });

  it('says which subgraph is not reachable', async () => {
    const { server, url } = await listen(() => undefined);
    server.close();
    await expect(composeSupergraph([{ name: 'gone', url }])).rejects.toThrow(
      /Cannot read subgraph "gone"[\s\S]*not reachable \(ECONNREFUSED\)/,
    );
  });
});

describe('gateway', () => {
  it('fetches N training jobs with one _entities request and one upstream call per job window, in order', async () => {
    const result = await query<Models>(`{
      voiceModels(first: 5) {
        nodes { id trainingJob { jobId operations(limit: 5) { totalCount nodes { action } } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const nodes = result.data!.voiceModels.nodes;
    // Models 1 and 2 come from the same job: five models, four distinct jobs.
    expect(nodes.map((n) => n.trainingJob.jobId)).toEqual(VOICE_MODELS.slice(0, 5).map((m) => m.jobId));
    expect(nodes.map((n) => n.trainingJob.operations!.totalCount)).toEqual([7, 7, 4, 3, 151]);
    expect(nodes[2]!.trainingJob.operations!.nodes.at(-1)!.action).toBe('AUDIT_NOT_PASS');

    expect(received).toBe(1);
    expect(sentToOplogs).toHaveLength(1);
    expect(sentToOplogs[0]).toMatch(/^query\(\$representations:\[_Any!\]!\)\{_entities\(/);
    expect(simulator.requests.map((r) => `${r.jobId}@${r.offset}+${r.limit}`).sort()).toEqual([
      'job-admin-rejected@0+5',
      'job-algorithm-failed@0+5',
      'job-complete@0+5',
      'job-long-history@0+5',
    ]);
  });

  it('costs one upstream call per job when its windows fit in one upstream page', async () => {
    const result = await query<Models>(`{
      voiceModels(first: 3) {
        nodes { trainingJob { head: operations(limit: 2) { totalCount } again: operations(limit: 2) { totalCount } all: operations(first: 10) { totalCount } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(received).toBe(1);
    // Jobs job-complete and job-admin-rejected; windows 0+2 and 0+10 merge into one 0+10 call each.
    expect(simulator.requests.map((r) => `${r.jobId}@${r.offset}+${r.limit}`).sort()).toEqual([
      'job-admin-rejected@0+10',
      'job-complete@0+10',
    ]);
  });

  // All seven models include the one trained by fault-503; the first five do not.
  it.each([
    ['a built-in fault job', 7, 'fault-503', () => undefined, 'UPSTREAM_UNAVAILABLE'],
    [
      'an injected fault',
      5,
      'job-admin-rejected',
      () => simulator.inject({ kind: 'status', status: 429 }, { jobId: 'job-admin-rejected' }),
      'UPSTREAM_THROTTLED',
    ],
  ])(
    'passes an upstream failure of one job (%s) to the client with its code, nulling only that job',
    async (_name, first, failingJob, arrange, code) => {
      arrange();
      const result = await query<Models>(
        `{ voiceModels(first: ${first}) { nodes { trainingJob { jobId operations(limit: 1) { totalCount } } } } }`,
      );
      const nodes = result.data!.voiceModels.nodes;
      expect(nodes).toHaveLength(first);
      for (const node of nodes) {
        if (node.trainingJob.jobId === failingJob) expect(node.trainingJob.operations).toBeNull();
        else expect(node.trainingJob.operations).not.toBeNull();
      }
      // The gateway may put the error under another list index: check the field, not the index.
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({ extensions: { code } });
      expect(result.errors![0]!.path).toEqual([
        'voiceModels',
        'nodes',
        expect.any(Number),
        'trainingJob',
        'operations',
      ]);
    },
  );

  it("resolves the job's details and audit result through _entities, one details and one audit call per job", async () => {
    const result = await query<{
      voiceModels: {
        nodes: Array<{
          trainingJob: {
            jobId: string;
            voiceName: string;
            state: string;
            auditResult: { adminReview: unknown } | null;
          };
        }>;
      };
    }>(`{
      voiceModels(first: 3) {
        nodes { trainingJob { jobId voiceName state jobType assetId auditResult { adminReview { message attachmentName } } } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.voiceModels.nodes.map((n) => n.trainingJob)).toEqual([
      expect.objectContaining({
        jobId: 'job-complete',
        voiceName: 'Warm narrator',
        state: 'SUCCEED',
        jobType: 'MIDDLE',
      }),
      expect.objectContaining({ jobId: 'job-complete', voiceName: 'Warm narrator', state: 'SUCCEED' }),
      expect.objectContaining({
        jobId: 'job-admin-rejected',
        state: 'AUDIT_FAILED',
        auditResult: { adminReview: expect.objectContaining({ attachmentName: 'review-notes.pdf' }) },
      }),
    ]);
    expect(sentToOplogs).toHaveLength(1);
    expect(simulator.requests.map((r) => `${r.route} ${r.jobId}`).sort()).toEqual([
      'audit-result job-admin-rejected',
      'audit-result job-complete',
      'job job-admin-rejected',
      'job job-complete',
    ]);
  });

  it('answers a bad argument on the entity path with BAD_USER_INPUT and no upstream call', async () => {
    const result = await query<Models>(
      '{ voiceModels(first: 2) { nodes { trainingJob { operations(limit: 101) { totalCount } } } } }',
    );
    expect(result.errors!.length).toBeGreaterThan(0);
    for (const error of result.errors!)
      expect(error).toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
        message: expect.stringMatching(/limit must be between 1 and 100/),
      });
    expect(result.data!.voiceModels.nodes.map((n) => n.trainingJob.operations)).toEqual([null, null]);
    expect(simulator.requests).toHaveLength(0);
  });

  it('pages the example subgraph with its own PageInfo', async () => {
    const page = (after?: string) =>
      query<{
        voiceModels: {
          nodes: Array<{ id: string }>;
          pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
        };
      }>(
        `{ voiceModels(first: 4${after ? `, after: "${after}"` : ''}) { nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
      );
    const first = (await page()).data!.voiceModels;
    const second = (await page(first.pageInfo.endCursor)).data!.voiceModels;
    expect([...first.nodes, ...second.nodes].map((n) => n.id)).toEqual(VOICE_MODELS.map((m) => m.id));
    expect([
      first.pageInfo.hasNextPage,
      first.pageInfo.hasPreviousPage,
      second.pageInfo.hasNextPage,
      second.pageInfo.hasPreviousPage,
    ]).toEqual([true, false, false, true]);
    expect(received).toBe(0);
  });
});

describe('subscriptions through the gateway', () => {
  const SUBSCRIPTION =
    'subscription { trainingJobEvents(jobId: "live-100-gateway") { status newOperations { action } job { jobId status } } }';

  /** The results of one SSE answer, to its end. */
  async function streamed(response: Response): Promise<
    Array<
      GraphQLResult<{
        trainingJobEvents: {
          status: string;
          newOperations: Array<{ action: string }>;
          job: { jobId: string; status: string };
        };
      }>
    >
  > {
    const text = await response.text();
    return [...text.matchAll(/^event: next\ndata: (.+)$/gm)].map((match) => JSON.parse(match[1]!));
  }

  it("carries a client's subscription to our subgraph over SSE, its events coming back with job { status }", async () => {
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const results = await streamed(response);
    expect(
      results.every((result) => result.errors === undefined),
      JSON.stringify(results),
    ).toBe(true);
    const events = results.map((result) => result.data!.trainingJobEvents);
    expect(events.flatMap((event) => event.newOperations.map((op) => op.action))).toEqual(LIVE_LIFECYCLE);
    for (const event of events) expect(event.job).toEqual({ jobId: 'live-100-gateway', status: event.status });
    expect(events.at(-1)!.status).toBe('COMPLETED');
    // The subscription reached our subgraph as one POST; the event's job fields cost it no request of their own.
    expect(sentToOplogs).toEqual([expect.stringContaining('trainingJobEvents')]);
  });

  it('is refused by CSRF prevention when the gateway opens SSE with its default GET', async () => {
    const { createGatewayRuntime } = await import('@graphql-hive/gateway-runtime');
    const http = (await import('@graphql-mesh/transport-http')).default;
    const byGet = createGatewayRuntime({ supergraph, transports: { http }, logging: false });
    try {
      const response = await byGet.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ query: SUBSCRIPTION.replace('live-100-gateway', 'live-100-by-get') }),
      });
      const [result] = await streamed(response);
      expect(result?.errors?.[0]?.message).toBe('Required CSRF header(s) not present');
      expect(simulator.requests).toEqual([]);
    } finally {
      await byGet.dispose();
    }
  });
});

describe('npm run compose and npm run gateway', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supergraph-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compose writes the supergraph the gateway command then serves', async () => {
    const file = join(dir, 'supergraph.graphql');
    const compose = runScript(
      'scripts/compose.ts',
      { SUPERGRAPH_FILE: file },
      { args: [`oplogs=${oplogsUrl}`, `voice-models=${voiceModelsUrl}`] },
    );
    expect(await compose.exitCode(), compose.output()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(supergraph);

    const served = runScript('scripts/gateway.ts', { SUPERGRAPH_FILE: file, PORT: '0' });
    const url = (await served.waitFor(/at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, served.output()).toBeDefined();
    const response = await postQuery(
      url!,
      '{ voiceModels(first: 1) { nodes { trainingJob { operations(limit: 1) { totalCount } } } } }',
    );
    expect(await response.json()).toEqual({
      data: { voiceModels: { nodes: [{ trainingJob: { operations: { totalCount: 7 } } }] } },
    });
    served.child.kill('SIGTERM');
    expect(await served.exitCode()).toBe(0);
  });

  it('compose exits 1 and prints why when a subgraph is down', async () => {
    const { server, url } = await listen(() => undefined);
    server.close();
    const compose = runScript(
      'scripts/compose.ts',
      { SUPERGRAPH_FILE: join(dir, 'never.graphql') },
      { args: [`oplogs=${oplogsUrl}`, `down=${url}`] },
    );
    expect(await compose.exitCode()).toBe(1);
    expect(compose.output()).toContain(`Cannot read subgraph "down"`);
    expect(compose.output()).toContain(`${url} is not reachable`);
  });

  it('the example subgraph runs on its own with PORT', async () => {
    const example = runScript('examples/voice-models/main.ts', { PORT: '0' });
    const url = (await example.waitFor(/subgraph at (http:\/\/127\.0\.0\.1:\d+\/graphql)/))?.[1];
    expect(url, example.output()).toBeDefined();
    const response = await postQuery(url!, '{ voiceModels(first: 1) { totalCount nodes { trainingJob { jobId } } } }');
    expect(await response.json()).toEqual({
      data: { voiceModels: { totalCount: VOICE_MODELS.length, nodes: [{ trainingJob: { jobId: 'job-complete' } }] } },
    });
    example.child.kill('SIGTERM');
    expect(await example.exitCode()).toBe(0);
  });
});
