// Object-level authorization by every path, against the simulator's jobs of two
// end users (user-alice, user-bob) and a support caller, with HS256 tokens and
// API keys bound to users: a user's own job is served after one details read
// with their X-App-UserId; another's answers exactly as an unknown job, with no
// op-logs or audit-result call and no poller; support reads every job unchecked.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RecordedRequest } from '../../src/simulator/simulator.js';
import { createApp } from '../../src/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { DEFAULT_LIMITS, DEFAULT_SECURITY } from '../../src/security/policy.js';
import { PAGE_CACHE_DEFAULTS, PageCache } from '../../src/upstream/pageCache.js';
import { serveWebSocket, type WebSocketEndpoint } from '../../src/webSocket.js';
import { firstEvent } from '../support/firstEvent.js';
import { startHarness, type Harness } from '../support/harness.js';
import { TEST_SECRETS } from '../support/secrets.js';

const SECRET = TEST_SECRETS.authJwtSecret;
const CLAIM = 'app_user_id';
const SUPPORT_SCOPE = 'jobs:read-all';
const ALICE = 'user-alice';
const BOB = 'user-bob';
/** Alice's and Bob's jobs in the simulator's catalogue. */
const ALICES = 'job-complete';
const BOBS = 'job-admin-rejected';
const UNKNOWN = 'job-nobody-knows';

type Headers = Record<string, string>;
const sign = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
let as: { alice: Headers; bob: Headers; support: Headers };

let h: Harness;
beforeAll(async () => {
  const bearer = async (claims: Record<string, unknown>) => ({ authorization: `Bearer ${await sign(claims)}` });
  as = {
    alice: await bearer({ [CLAIM]: ALICE }),
    bob: await bearer({ [CLAIM]: BOB }),
    support: await bearer({ scope: `openid ${SUPPORT_SCOPE}` }),
  };
});
// Each test on a server of its own: a fresh page cache and owner memo.
beforeEach(async () => {
  h = await startHarness({
    security: {
      auth: { mode: 'jwt', secret: SECRET, appUserClaim: CLAIM, allJobsScope: SUPPORT_SCOPE },
    },
    client: { pageCache: new PageCache({ ...PAGE_CACHE_DEFAULTS, ttlMs: 60_000 }) },
  });
});
afterEach(() => h.close());

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; path?: unknown[]; extensions?: object }> };
}

async function ask(headers: Headers, [query, variables]: [string, Record<string, unknown>?]): Promise<Answer> {
  const response = await h.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** The simulator's requests about one job, as route and X-App-UserId. */
const callsFor = (jobId: string) =>
  h.simulator.requests
    .filter((request) => request.jobId === jobId)
    .map((request) => `${request.route}${appUserIdOf(request) ? ` as ${appUserIdOf(request)}` : ''}`);
const appUserIdOf = (request: RecordedRequest) => request.headers['x-app-userid'] as string | undefined;
const signsAppUserId = (request: RecordedRequest) =>
  /SignedHeaders=[^,]*\bx-app-userid\b/.test(String(request.headers.authorization));

/** A response with every occurrence of `jobId` replaced, to compare two jobs' answers. */
const withoutId = (answer: Answer, jobId: string) => JSON.parse(JSON.stringify(answer).replaceAll(jobId, 'JOB'));

const FIELDS =
  'jobId voiceName state appUserId status operations(limit: 3) { totalCount nodes { action } } auditResult { adminReview { message } }';
/** Each path's query for one job (the job id in a variable, so that error locations do not move with it). */
const PATHS: Record<string, (jobId: string) => [string, Record<string, unknown>]> = {
  trainingJob: (jobId) => [`query ($jobId: ID!) { trainingJob(jobId: $jobId) { ${FIELDS} } }`, { jobId }],
  trainingJobs: (jobId) => [
    `query ($jobIds: [ID!]!) { trainingJobs(jobIds: $jobIds) { ${FIELDS} } }`,
    { jobIds: [ALICES, jobId] },
  ],
  _entities: (jobId) => [
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { ${FIELDS} } } }`,
    { r: [{ __typename: 'TrainingJob', jobId }] },
  ],
};
const byId = (jobId: string) => PATHS.trainingJob!(jobId);

const LIST =
  '{ voiceTrainingJobs(limit: 40) { totalCount pageInfo { hasNextPage endCursor } nodes { jobId appUserId voiceName status } } }';

interface ListAnswer {
  voiceTrainingJobs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: Array<{ jobId: string; appUserId: string | null }>;
  };
}

describe('the job list', () => {
  it("holds only each user's jobs, asked with their X-App-UserId, signed; support's holds every job", async () => {
    for (const [headers, user] of [
      [as.alice, ALICE],
      [as.bob, BOB],
    ] as const) {
      h.simulator.reset();
      const answer = await ask(headers, [LIST]);
      expect(answer.body.errors).toBeUndefined();
      const { nodes } = (answer.body.data as ListAnswer).voiceTrainingJobs;
      expect(nodes.length).toBeGreaterThan(1);
      expect(new Set(nodes.map((node) => node.appUserId))).toEqual(new Set([user]));
      const scoped = h.simulator.requests.filter((request) => request.route === 'jobs' || request.route === 'job');
      expect(scoped.map((request) => request.route)).toEqual(['jobs']);
      expect(scoped.every((request) => appUserIdOf(request) === user && signsAppUserId(request))).toBe(true);
      // Listed jobs are confirmed: their log is read with no check.
      expect(h.simulator.requests.filter((request) => request.route === 'op-logs')).toHaveLength(nodes.length);
    }
    h.simulator.reset();
    const all = ((await ask(as.support, [LIST])).body.data as ListAnswer).voiceTrainingJobs.nodes;
    expect(new Set(all.map((node) => node.appUserId))).toEqual(new Set([ALICE, BOB, null]));
    expect(h.simulator.requests.some(appUserIdOf)).toBe(false);
  });

  it("drops another user's jobs when MetaStudio does not filter, keeping its count and page info, counted and warned once", async () => {
    const lines: Record<string, unknown>[] = [];
    const unfiltered = await startHarness({
      simulator: { filtersByAppUser: false },
      security: { auth: { mode: 'jwt', secret: SECRET, appUserClaim: CLAIM } },
    });
    const metrics = new Metrics(unfiltered.client);
    const app = createApp({
      client: unfiltered.client,
      live: unfiltered.live,
      metrics,
      logger: createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } }),
      security: { ...DEFAULT_SECURITY, auth: { mode: 'jwt', secret: SECRET, appUserClaim: CLAIM } },
    });
    try {
      const list = async (headers: Headers, query: string) => {
        const response = await app.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query }),
        });
        return ((await response.json()) as { data: ListAnswer }).data.voiceTrainingJobs;
      };
      const page =
        '{ voiceTrainingJobs(limit: 4) { totalCount pageInfo { hasNextPage endCursor } nodes { jobId appUserId } } }';
      const asSupport = await startHarness({}).then(async (open) => {
        try {
          const response = await open.app.fetch('http://localhost/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: page }),
          });
          return ((await response.json()) as { data: ListAnswer }).data.voiceTrainingJobs;
        } finally {
          await open.close();
        }
      });
      const alices = await list(as.alice, page);
      expect(alices.nodes.every((node) => node.appUserId === ALICE)).toBe(true);
      expect(alices.nodes.length).toBeLessThan(asSupport.nodes.length);
      expect(alices.totalCount).toBe(asSupport.totalCount);
      expect(alices.pageInfo).toEqual(asSupport.pageInfo);
      await list(as.bob, page);
      const dropped =
        asSupport.nodes.filter((node) => node.appUserId !== ALICE).length +
        asSupport.nodes.filter((node) => node.appUserId !== BOB).length;
      const metric = await metrics.registry.getSingleMetric('metastudio_scope_foreign_listed_jobs_total')!.get();
      expect(metric.values[0]?.value).toBe(dropped);
      expect(lines.filter((line) => line.level === 40 && /another app user's job/.test(String(line.msg)))).toHaveLength(
        1,
      );
    } finally {
      metrics.close();
      await app.dispose();
      await unfiltered.close();
    }
  });
});

describe('a job reached by id', () => {
  it.each(Object.keys(PATHS))(
    "through %s, another user's job answers exactly as an unknown one, with no op-logs call",
    async (path) => {
      const query = PATHS[path]!;
      const foreign = await ask(as.alice, query(BOBS));
      expect(callsFor(BOBS)).toEqual([`job as ${ALICE}`]);
      const unknown = await ask(as.alice, query(UNKNOWN));
      expect(callsFor(UNKNOWN)).toEqual([`job as ${ALICE}`]);
      expect(withoutId(foreign, BOBS)).toEqual(withoutId(unknown, UNKNOWN));
      expect(unknown.status).toBe(200);
      const errors = unknown.body.errors ?? [];
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error.extensions).toEqual({ code: 'UPSTREAM_NOT_FOUND', status: 404 });
        expect(error.message).toBe('MetaStudio does not know this training job');
      }
    },
  );

  it('serves the owner after one details read with their X-App-UserId, signed, shared with the details fields', async () => {
    const own = await ask(as.alice, byId(ALICES));
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data).toMatchObject({
      trainingJob: { jobId: ALICES, appUserId: ALICE, voiceName: 'Warm narrator', operations: { totalCount: 7 } },
    });
    const [first, ...after] = callsFor(ALICES);
    expect(first).toBe(`job as ${ALICE}`);
    expect(after.sort()).toEqual(['audit-result', 'op-logs']);
    const details = h.simulator.requests.filter((request) => request.route === 'job');
    expect(details.every(signsAppUserId)).toBe(true);
  });

  it('remembers a confirmed owner: the next request reads no details', async () => {
    await ask(as.bob, byId('job-training-failed'));
    h.simulator.reset();
    const again = await ask(as.bob, [
      '{ trainingJob(jobId: "job-training-failed") { operations(limit: 1) { totalCount } } }',
    ]);
    expect(again.body.errors).toBeUndefined();
    expect(callsFor('job-training-failed')).toEqual(['op-logs']);
  });

  it('lets the support scope read every job, checked against nothing, with no X-App-UserId', async () => {
    for (const jobId of [ALICES, BOBS]) {
      const answer = await ask(as.support, byId(jobId));
      expect(answer.body.errors).toBeUndefined();
    }
    // The details fields' own read, one per job; nothing checked, no X-App-UserId.
    expect(h.simulator.requests.filter((request) => request.route === 'job')).toHaveLength(2);
    expect(h.simulator.requests.some(appUserIdOf)).toBe(false);
    h.simulator.reset();
    await ask(as.support, ['{ trainingJob(jobId: "job-admin-rejected") { operations { totalCount } } }']);
    expect(callsFor(BOBS)).toEqual(['op-logs']);
  });

  it("does not leak through caches: after A's reads B is refused, after B's reads A is refused", async () => {
    for (const [owner, other, jobId] of [
      [as.alice, as.bob, 'job-algorithm-failed'],
      [as.bob, as.alice, 'job-retrained'],
    ] as const) {
      const read = await ask(owner, byId(jobId));
      expect(read.body.errors).toBeUndefined();
      const refused = await ask(other, byId(jobId));
      const unknown = await ask(other, byId(UNKNOWN));
      expect(withoutId(refused, jobId)).toEqual(withoutId(unknown, UNKNOWN));
    }
  });

  it('takes the same upstream calls for a repeated denial as for a repeated unknown id', async () => {
    const calls = async (jobId: string) => {
      h.simulator.reset();
      await ask(as.bob, byId(jobId));
      return callsFor(jobId);
    };
    const foreign = [await calls('job-in-review'), await calls('job-in-review')];
    const unknown = [await calls('job-unknown-2'), await calls('job-unknown-2')];
    expect(foreign).toEqual(unknown);
  });
});

describe('MAX_UPSTREAM_CALLS', () => {
  it("counts each job's check for a scoped caller, once per job, and not for support", async () => {
    const limited = await startHarness({
      security: {
        auth: { mode: 'jwt', secret: SECRET, appUserClaim: CLAIM, allJobsScope: SUPPORT_SCOPE },
        limits: { ...DEFAULT_LIMITS, maxUpstreamCalls: 15 },
      },
    });
    try {
      const jobIds = Array.from({ length: 10 }, (_, i) => `job-${i}`);
      const query = `query ($jobIds: [ID!]!) { trainingJobs(jobIds: $jobIds) { operations { totalCount } operationHistory(max: 10) { action } } }`;
      const post = async (headers: Headers) => {
        const response = await limited.app.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables: { jobIds } }),
        });
        return (await response.json()) as Answer['body'];
      };
      // 10 ids: 10 log windows (merged per job, counted apart) and 10 checks, over 15; 20 without the checks.
      const support = await post(as.support);
      expect(support.errors?.[0]?.message).toMatch(/could make 20 upstream calls/);
      const alice = await post(as.alice);
      expect(alice.errors?.[0]?.message).toMatch(/could make 30 upstream calls/);
      expect(limited.simulator.requests).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe('API keys bound to app users', () => {
  it("refuses another user's job to a bound key as an unknown one, and serves the key's own", async () => {
    const keys = { alice: TEST_SECRETS.apiKey, support: TEST_SECRETS.authApiKey };
    const digest = (key: string) => createHash('sha256').update(key).digest('hex');
    const keyed = await startHarness({
      security: {
        auth: {
          mode: 'apikey',
          keyDigests: [digest(keys.alice), digest(keys.support)],
          bindings: new Map([
            [digest(keys.alice), ALICE],
            [digest(keys.support), '*'],
          ]),
        },
      },
    });
    try {
      const post = async (key: string, jobId: string) => {
        const response = await keyed.app.fetch('http://localhost/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ query: byId(jobId)[0], variables: byId(jobId)[1] }),
        });
        return { status: response.status, body: await response.json() } as Answer;
      };
      expect((await post(keys.alice, ALICES)).body.errors).toBeUndefined();
      expect(withoutId(await post(keys.alice, BOBS), BOBS)).toEqual(
        withoutId(await post(keys.alice, UNKNOWN), UNKNOWN),
      );
      expect((await post(keys.support, BOBS)).body.errors).toBeUndefined();
      const support = keyed.simulator.requests.filter((r) => r.jobId === BOBS && !r.headers['x-app-userid']);
      expect(support.map((r) => r.route).sort()).toEqual(['audit-result', 'job', 'op-logs']);
    } finally {
      await keyed.close();
    }
  });
});

const SUBSCRIPTION = 'subscription Watch($jobId: ID!) { trainingJobEvents(jobId: $jobId) { status totalCount } }';

/** The first result of a subscription over SSE, then the client leaves. */
const firstOverSse = async (headers: Headers, jobId: string): Promise<Answer> =>
  (await firstEvent(h.app, { query: SUBSCRIPTION, variables: { jobId } }, headers)) as Answer;

describe('subscriptions', () => {
  it("refuse another user's job over SSE exactly as an unknown one, starting no poller", async () => {
    const foreign = await firstOverSse(as.alice, BOBS);
    const unknown = await firstOverSse(as.alice, UNKNOWN);
    expect(withoutId(foreign, BOBS)).toEqual(withoutId(unknown, UNKNOWN));
    expect(unknown.body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_NOT_FOUND', status: 404 });
    expect(h.simulator.requests.map((request) => request.route)).toEqual(['job', 'job']);
    expect(h.live.watchedJobs).toBe(0);
    // The owner's subscription starts as before.
    const own = await firstOverSse(as.bob, BOBS);
    expect(own.body.errors).toBeUndefined();
  });

  describe('over WebSocket', () => {
    let server: Server;
    let endpoint: WebSocketEndpoint;
    let url: string;
    beforeEach(async () => {
      server = createServer(h.app);
      endpoint = serveWebSocket(server, h.app, { maxPayloadBytes: 100_000 });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    });
    afterEach(async () => {
      await endpoint.close();
      server.close();
    });

    /** The first message answering a subscription on a fresh connection. */
    async function firstMessage(headers: Headers, jobId: string): Promise<Record<string, unknown>> {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      const messages: Record<string, unknown>[] = [];
      const answered = new Promise<Record<string, unknown>>((resolve) =>
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as Record<string, unknown>;
          messages.push(message);
          if (message.type === 'connection_ack') {
            socket.send(
              JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { jobId } } }),
            );
          } else {
            resolve(message);
          }
        }),
      );
      await once(socket, 'open');
      socket.send(JSON.stringify({ type: 'connection_init', payload: headers }));
      const message = await answered;
      socket.close();
      return message;
    }

    it("refuse another user's job exactly as an unknown one, starting no poller", async () => {
      const foreign = await firstMessage(as.alice, BOBS);
      const unknown = await firstMessage(as.alice, UNKNOWN);
      expect(JSON.parse(JSON.stringify(foreign).replaceAll(BOBS, 'JOB'))).toEqual(
        JSON.parse(JSON.stringify(unknown).replaceAll(UNKNOWN, 'JOB')),
      );
      expect(unknown).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'UPSTREAM_NOT_FOUND', status: 404 } }],
      });
      expect(h.simulator.requests.map((request) => request.route)).toEqual(['job', 'job']);
      expect(h.live.watchedJobs).toBe(0);
    });
  });
});
