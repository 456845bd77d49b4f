// Who the caller is, for object-level authorization: with scoping on, a token's
// AUTH_APP_USER_CLAIM or an API key's binding names the caller's app user, the
// support scope reads every job, and a caller without a usable app user id is
// refused with 403 FORBIDDEN (4403 over WebSocket) before any upstream call,
// the refusal logged and counted with the id hashed.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../src/app.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { Context } from '../../src/schema/context.js';
import type { CallerScope } from '../../src/scope/callerScope.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import type { AuthOptions } from '../../src/security/useAuth.js';
import { serveWebSocket, type WebSocketEndpoint } from '../../src/webSocket.js';
import { startHarness, type Harness } from '../support/harness.js';
import { TEST_SECRETS } from '../support/secrets.js';

const QUERY = '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }';
const SECRET = TEST_SECRETS.authJwtSecret;
const CLAIM = 'app_user_id';
const SUPPORT = 'jobs:read-all';
const KEYS = { alice: TEST_SECRETS.apiKey, support: TEST_SECRETS.authApiKey, other: TEST_SECRETS.wrongApiKey };
const digest = (value: string) => createHash('sha256').update(value).digest('hex');

const token = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('subject-1')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface Scoped {
  app: App;
  lines: Record<string, unknown>[];
  metrics: Metrics;
  /** The scope each executed operation saw on its context. */
  scopes: CallerScope[];
}

const apps: Scoped[] = [];
afterEach(async () => {
  for (const { app, metrics } of apps.splice(0)) {
    metrics.close();
    await app.dispose();
  }
});

function scopedApp(auth: AuthOptions): Scoped {
  const lines: Record<string, unknown>[] = [];
  const scopes: CallerScope[] = [];
  const metrics = new Metrics(h.client);
  const app = createApp({
    client: h.client,
    live: h.live,
    metrics,
    logger: createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } }),
    security: { ...DEFAULT_SECURITY, auth },
    plugins: [{ onExecute: ({ args }) => void scopes.push((args.contextValue as unknown as Context).scope) }],
  });
  const scoped = { app, lines, metrics, scopes };
  apps.push(scoped);
  return scoped;
}

async function ask({ app }: Scoped, headers: Record<string, string>) {
  h.simulator.reset();
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: object }[] };
  return { status: response.status, body, calls: h.simulator.requests.length };
}

const requestLine = ({ lines }: Scoped) => lines.filter((line) => line.msg === 'request').at(-1)!;

async function refusalCount({ metrics }: Scoped, reason: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('metastudio_scope_refusals_total')!.get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

const jwtScoped = (): AuthOptions => ({ mode: 'jwt', secret: SECRET, appUserClaim: CLAIM, allJobsScope: SUPPORT });
const bearer = async (claims: Record<string, unknown>) => ({ authorization: `Bearer ${await token(claims)}` });

describe('with AUTH_APP_USER_CLAIM', () => {
  it('serves a token whose claim holds a valid app user id, which keeps its case', async () => {
    const scoped = scopedApp(jwtScoped());
    for (const id of ['Alice-01', 'alice-01', '~!'.padEnd(64, 'x')]) {
      const answer = await ask(scoped, await bearer({ [CLAIM]: id }));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.calls).toBe(1);
    }
    expect(scoped.scopes).toEqual(
      ['Alice-01', 'alice-01', '~!'.padEnd(64, 'x')].map((appUserId) => ({ kind: 'user', appUserId })),
    );
  });

  it.each([
    ['missing', {}, 'missing_app_user_id'],
    ['a number', { [CLAIM]: 42 }, 'missing_app_user_id'],
    ['null', { [CLAIM]: null }, 'missing_app_user_id'],
    ['empty', { [CLAIM]: '' }, 'invalid_app_user_id'],
    ['65 characters', { [CLAIM]: 'a'.repeat(65) }, 'invalid_app_user_id'],
    ['with CR LF', { [CLAIM]: 'alice\r\nX-Injected: 1' }, 'invalid_app_user_id'],
    ['with a space', { [CLAIM]: 'alice smith' }, 'invalid_app_user_id'],
    ['Chinese', { [CLAIM]: '张三' }, 'invalid_app_user_id'],
  ])(
    'refuses a token whose app user id is %s: 403 FORBIDDEN, no upstream call, logged hashed and counted',
    async (_name, claims, reason) => {
      const scoped = scopedApp(jwtScoped());
      const answer = await ask(scoped, await bearer(claims));
      expect(answer.status).toBe(403);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'FORBIDDEN' } }]);
      expect(answer.calls).toBe(0);
      expect(scoped.scopes).toEqual([]);
      const line = requestLine(scoped);
      const id = (claims as Record<string, unknown>)[CLAIM];
      expect(line).toMatchObject({ status: 403, errorCodes: ['FORBIDDEN'], scopeRefusal: { reason } });
      expect((line.scopeRefusal as { appUserIdHash?: string }).appUserIdHash).toBe(
        typeof id === 'string' ? digest(id) : undefined,
      );
      if (typeof id === 'string' && id.length > 0) expect(JSON.stringify(scoped.lines)).not.toContain(id);
      expect(await refusalCount(scoped, reason)).toBe(1);
    },
  );

  it('lets the support scope read every job, as a string of scopes or an array, and logs that it did', async () => {
    const scoped = scopedApp(jwtScoped());
    for (const scope of [`openid ${SUPPORT} profile`, [SUPPORT]]) {
      const answer = await ask(scoped, await bearer({ scope }));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(requestLine(scoped)).toMatchObject({ status: 200, allJobsScope: 'token' });
    }
    // The scope wins over an app user id in the same token.
    await ask(scoped, await bearer({ scope: SUPPORT, [CLAIM]: 'alice' }));
    expect(scoped.scopes).toEqual([{ kind: 'all' }, { kind: 'all' }, { kind: 'all' }]);
    // A scope that only starts like it, or in another claim, is not it.
    for (const claims of [{ scope: `${SUPPORT}-not` }, { scp: SUPPORT }, { scope: `${SUPPORT.toUpperCase()}` }]) {
      expect((await ask(scoped, await bearer(claims))).status).toBe(403);
    }
    const plain = await ask(scoped, await bearer({ [CLAIM]: 'alice' }));
    expect(plain.status).toBe(200);
    expect(requestLine(scoped)).not.toHaveProperty('allJobsScope');
  });

  it('looks at own claims only: a claim named like an Object member is missing when the token lacks it', async () => {
    const scoped = scopedApp({ mode: 'jwt', secret: SECRET, appUserClaim: 'constructor' });
    expect((await ask(scoped, await bearer({}))).status).toBe(403);
    expect((await ask(scoped, await bearer({ constructor: 'alice' }))).status).toBe(200);
  });
});

describe('without scoping', () => {
  it('serves every authenticated caller as before, with scoping off on the context', async () => {
    const scoped = scopedApp({ mode: 'jwt', secret: SECRET });
    expect((await ask(scoped, await bearer({}))).status).toBe(200);
    const keys = scopedApp({ mode: 'apikey', keyDigests: [digest(KEYS.alice)] });
    expect((await ask(keys, { 'x-api-key': KEYS.alice })).status).toBe(200);
    expect([...scoped.scopes, ...keys.scopes]).toEqual([{ kind: 'off' }, { kind: 'off' }]);
  });
});

describe('API keys bound to app users', () => {
  const bound = (): AuthOptions => ({
    mode: 'apikey',
    keyDigests: [digest(KEYS.alice), digest(KEYS.support)],
    bindings: new Map([
      [digest(KEYS.alice), 'Alice'],
      [digest(KEYS.support), '*'],
    ]),
  });

  it('reads for the bound app user, or every job for a key bound to *', async () => {
    const scoped = scopedApp(bound());
    expect((await ask(scoped, { 'x-api-key': KEYS.alice })).status).toBe(200);
    expect(requestLine(scoped)).not.toHaveProperty('allJobsScope');
    expect((await ask(scoped, { 'x-api-key': KEYS.support })).status).toBe(200);
    expect(requestLine(scoped)).toMatchObject({ allJobsScope: 'apikey' });
    expect(scoped.scopes).toEqual([{ kind: 'user', appUserId: 'Alice' }, { kind: 'all' }]);
    // An unknown key is still an authentication failure, not a scope one.
    expect((await ask(scoped, { 'x-api-key': KEYS.other })).status).toBe(401);
  });

  it('refuses an accepted key that has no binding while others have one (configured by hand)', async () => {
    const scoped = scopedApp({ ...bound(), keyDigests: [digest(KEYS.alice), digest(KEYS.other)] } as AuthOptions);
    const answer = await ask(scoped, { 'x-api-key': KEYS.other });
    expect(answer).toMatchObject({ status: 403, calls: 0 });
  });
});

describe('over WebSocket', () => {
  let server: Server;
  let endpoint: WebSocketEndpoint;
  afterEach(async () => {
    await endpoint.close();
    server.close();
  });

  async function closeCode(app: App, connectionParams: Record<string, unknown>) {
    server = createServer(app);
    endpoint = serveWebSocket(server, app, { maxPayloadBytes: 100_000 });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    const acked = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams }));
    const admitted = acked.then((message) => {
      socket.close();
      return { code: 0, reason: message };
    });
    return Promise.race([closed, admitted]);
  }

  it('closes a connection without a valid app user id with 4403, and admits one with it', async () => {
    const scoped = scopedApp(jwtScoped());
    h.simulator.reset();
    const refused = await closeCode(scoped.app, { authorization: `Bearer ${await token({ [CLAIM]: 'a b' })}` });
    expect(refused.code).toBe(4403);
    expect(refused.reason).toMatch(/app user id/);
    await endpoint.close();
    server.close();
    const missing = await closeCode(scoped.app, { authorization: `Bearer ${await token({})}` });
    expect(missing.code).toBe(4403);
    await endpoint.close();
    server.close();
    const admitted = await closeCode(scoped.app, { authorization: `Bearer ${await token({ [CLAIM]: 'alice' })}` });
    expect(admitted).toMatchObject({ code: 0, reason: expect.stringContaining('connection_ack') });
    expect(h.simulator.requests).toEqual([]);
  });
});
