// AUTH_MODE jwt and apikey: every refusal is 401 UNAUTHENTICATED and no upstream call.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { AuthOptions } from '../../src/security/useAuth.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { createApp } from '../../src/app.js';
import { startHarness, type Harness } from '../support/harness.js';
import { TEST_SECRETS } from '../support/secrets.js';

const QUERY = '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }';
const HS_SECRET = TEST_SECRETS.authJwtSecret;

async function ask(harness: Harness, headers: Record<string, string>) {
  harness.simulator.reset();
  const response = await harness.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: response.status, body, calls: harness.simulator.requests.length, headers: response.headers };
}

async function expectRefused(harness: Harness, headers: Record<string, string>) {
  const answer = await ask(harness, headers);
  expect(answer.status, JSON.stringify(answer.body)).toBe(401);
  expect(answer.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(answer.body.data).toBeUndefined();
  expect(answer.calls).toBe(0);
  return answer;
}

async function expectServed(harness: Harness, headers: Record<string, string>) {
  const answer = await ask(harness, headers);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
  expect(answer.calls).toBe(1);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hs256 = (claims: Record<string, unknown> = {}, secret = HS_SECRET) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('alice')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));

async function withAuth(auth: AuthOptions): Promise<Harness> {
  return startHarness({ security: { auth } });
}

describe('AUTH_MODE=jwt with HS256', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await withAuth({ mode: 'jwt', secret: HS_SECRET, issuer: 'https://idp.test', audience: 'oplogs' });
  });
  afterAll(() => harness?.close());

  const valid = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setIssuer('https://idp.test')
      .setAudience('oplogs')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(HS_SECRET));

  it('serves a valid token', async () => {
    await expectServed(harness, bearer(await valid()));
  });

  it('refuses a missing token, saying how to authenticate', async () => {
    const answer = await expectRefused(harness, {});
    expect(answer.body.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    [
      'expired',
      () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('https://idp.test')
          .setAudience('oplogs')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(new TextEncoder().encode(HS_SECRET)),
    ],
    [
      'signed with another secret',
      () => hs256({ iss: 'https://idp.test', aud: 'oplogs' }, TEST_SECRETS.authForgingSecret),
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ iss: 'https://idp.test', aud: 'oplogs', sub: 'alice' }).setExpirationTime('5m').encode(),
    ],
    ['from the wrong issuer', () => hs256({ iss: 'https://evil.test', aud: 'oplogs' })],
    ['for the wrong audience', () => hs256({ iss: 'https://idp.test', aud: 'another-api' })],
    ['without issuer and audience', () => hs256()],
    ['not a JWT at all', async () => 'not-a-jwt'],
    ['a truncated JWT', async () => (await valid()).split('.').slice(0, 2).join('.')],
  ])('refuses a token %s with 401 and no upstream call', async (_name, token) => {
    const answer = await expectRefused(harness, bearer(await token()));
    expect(answer.body.errors?.[0]?.message).toBe('The bearer token was refused');
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer  '], ['bearer lowercase']])(
    'refuses Authorization: %s with 401',
    async (value) => {
      await expectRefused(harness, { authorization: value });
    },
  );
});

describe('AUTH_MODE=jwt with a JWKS (RS256, ES256)', () => {
  let harness: Harness;
  let jwksServer: Server;
  const keys: Record<string, { privateKey: CryptoKey; jwk: JWK }> = {};

  beforeAll(async () => {
    for (const [kid, alg] of [
      ['rsa-1', 'RS256'],
      ['ec-1', 'ES256'],
    ] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      keys[kid] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
    }
    const jwks = JSON.stringify({ keys: Object.values(keys).map((k) => k.jwk) });
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    harness = await withAuth({
      mode: 'jwt',
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      audience: 'oplogs',
    });
  });
  afterAll(async () => {
    await harness?.close();
    jwksServer?.closeAllConnections();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  const sign = (kid: string, alg: string, key: CryptoKey, audience = 'oplogs') =>
    new SignJWT({})
      .setProtectedHeader({ alg, kid })
      .setSubject('svc')
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(key);

  it('serves RS256 and ES256 tokens signed with a key of the set', async () => {
    await expectServed(harness, bearer(await sign('rsa-1', 'RS256', keys['rsa-1']!.privateKey)));
    await expectServed(harness, bearer(await sign('ec-1', 'ES256', keys['ec-1']!.privateKey)));
  });

  it('logs at warn, without the token, when the key set cannot be fetched', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    // A port that was listening a moment ago: nothing answers there now.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise((resolve) => gone.close(resolve));
    const app = createApp({
      client: harness.client,
      logger,
      security: { ...DEFAULT_SECURITY, auth: { mode: 'jwt', jwksUrl: `http://127.0.0.1:${port}/jwks.json` } },
    });
    try {
      const token = await sign('rsa-1', 'RS256', keys['rsa-1']!.privateKey);
      const ours = () => lines.filter((line) => JSON.parse(line).level === 40 && line.includes('AUTH_JWKS_URL'));
      // A bad token is the caller's problem: no warning of ours.
      await expectRefused({ ...harness, app }, bearer('not-a-jwt'));
      expect(ours()).toEqual([]);
      await expectRefused({ ...harness, app }, bearer(token));
      expect(ours()).toHaveLength(1);
      expect(lines.join('\n')).not.toContain(token);
    } finally {
      await app.dispose();
    }
  });

  it('refuses an unknown kid with 401, not 500', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expectRefused(harness, bearer(await sign('rsa-unknown', 'RS256', privateKey)));
  });

  it('refuses a key of the set used under another kid, a wrong audience, and HS256', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    await expectRefused(harness, bearer(await sign('rsa-1', 'RS256', privateKey)));
    await expectRefused(harness, bearer(await sign('ec-1', 'ES256', keys['ec-1']!.privateKey, 'other')));
    // The classic confusion: an HMAC token keyed with the public key's text.
    const hmacKey = new TextEncoder().encode(JSON.stringify(keys['rsa-1']!.jwk));
    await expectRefused(
      harness,
      bearer(
        await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
          .setAudience('oplogs')
          .setExpirationTime('5m')
          .sign(hmacKey),
      ),
    );
  });
});

describe('AUTH_MODE=apikey', () => {
  const KEY = TEST_SECRETS.authApiKey;
  let harness: Harness;
  beforeAll(async () => {
    harness = await withAuth({
      mode: 'apikey',
      keyDigests: ['f'.repeat(64), createHash('sha256').update(KEY).digest('hex')],
    });
  });
  afterAll(() => harness?.close());

  it('serves a listed key', async () => {
    await expectServed(harness, { 'x-api-key': KEY });
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-api-key': `${KEY}x` }],
    ['its digest instead of the key', { 'x-api-key': createHash('sha256').update(KEY).digest('hex') }],
    ['sent as a bearer token', bearer(KEY)],
  ])('refuses a key that is %s', async (_name, headers) => {
    await expectRefused(harness, headers as Record<string, string>);
  });
});
