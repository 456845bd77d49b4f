// CSRF prevention, the CORS allowlist, security headers, and production mode.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { DEFAULT_SECURITY, type SecurityOptions } from '../../src/security/policy.js';
import { createApp } from '../../src/app.js';
import type { MetaStudioClient } from '../../src/upstream/client.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function app(security: Partial<SecurityOptions> = {}) {
  harness = await startHarness({ security });
  return harness;
}

const QUERY = '{ trainingJob(jobId: "job-complete") { operations { totalCount } } }';
const url = (query: string) => `http://localhost/graphql?query=${encodeURIComponent(query)}`;

describe('CSRF prevention', () => {
  it('runs neither a GET nor a form post without a CSRF header, and makes no call', async () => {
    const { app: yoga, simulator } = await app();
    expect((await yoga.fetch(url(QUERY))).status).toBe(403);
    const form = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: QUERY }).toString(),
    });
    expect(form.status).toBe(403);
    expect(simulator.requests).toHaveLength(0);
  });

  it('runs a GET that carries a CSRF header, and a JSON POST', async () => {
    const { app: yoga } = await app();
    const get = await yoga.fetch(url(QUERY), { headers: { 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
    // JSON needs no CSRF header: a form cannot send it without a preflight.
    const post = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });
  });

  it('never parses a multipart body, header or not', async () => {
    const { app: yoga, simulator } = await app();
    const multipart = new FormData();
    multipart.set('operations', JSON.stringify({ query: QUERY }));
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      body: multipart,
      headers: { 'x-graphql-yoga-csrf': '1' },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(simulator.requests).toHaveLength(0);
  });
});

describe('CORS', () => {
  const preflight = (yoga: Harness['app'], origin: string) =>
    yoga.fetch('http://localhost/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });

  it('allows only the listed origins', async () => {
    const { app: yoga } = await app({ corsOrigins: ['https://app.example.com', 'https://admin.example.com'] });
    const allowed = await preflight(yoga, 'https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).not.toBe('true');
    // A page may send its own x-request-id and read the one of the answer.
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-request-id');
    const answer = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json', 'x-request-id': 'page-1' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.headers.get('x-request-id')).toBe('page-1');
    expect(answer.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const refused = await preflight(yoga, 'https://evil.example.com');
    expect(refused.headers.get('access-control-allow-origin') ?? 'null').toBe('null');
  });

  it('allows no cross-origin access in production when none is listed', async () => {
    const { app: yoga } = await app({ production: true, graphiql: false, introspection: false });
    expect((await preflight(yoga, 'https://app.example.com')).headers.get('access-control-allow-origin')).toBeNull();
    const post = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it('serve GraphiQL with a CSP that allows only its own script, no framing, and nosniff', async () => {
    const { app: yoga } = await app();
    const response = await yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    const html = await response.text();
    const csp = response.headers.get('content-security-policy') ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('send nosniff on GraphQL answers too', async () => {
    const { query, app: yoga } = await app();
    expect(await query('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('production mode', () => {
  const production: Partial<SecurityOptions> = { production: true, graphiql: false, introspection: false };

  it('has no GraphiQL unless GRAPHIQL=true', async () => {
    const { app: yoga } = await app(production);
    const page = await yoga.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    await harness!.close();
    const { app: withGraphiQL } = await app({ ...production, graphiql: true });
    expect(
      (await withGraphiQL.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } })).headers.get(
        'content-type',
      ),
    ).toMatch(/text\/html/);
  });

  it('refuses introspection, keeps _service for composition, and gives no field suggestions', async () => {
    const { query } = await app(production);
    const schemaQuery = await query('{ __schema { types { name } } }');
    expect(schemaQuery.data).toBeUndefined();
    expect(schemaQuery.errors?.[0]?.message).toMatch(/introspection has been disabled/);
    expect((await query('{ __type(name: "Query") { name } }')).errors?.[0]?.message).toMatch(
      /introspection has been disabled/,
    );
    const service = await query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(service.data?._service.sdl).toContain('type TrainingJob');
    const typo = await query('{ trainingJobz }');
    expect(typo.errors?.[0]?.message).toContain('trainingJobz');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('allows introspection with INTROSPECTION=true', async () => {
    const { query } = await app({ ...production, introspection: true });
    expect((await query('{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
  });

  it('masks unexpected errors', async () => {
    const client = {
      projectId: 'p',
      listOperationLogs(): never {
        throw new Error('internal detail /etc/passwd');
      },
    } as unknown as MetaStudioClient;
    const yoga = createApp({ client, security: { ...DEFAULT_SECURITY, ...production } });
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    const text = await response.text();
    expect(text).toContain('Unexpected error.');
    expect(text).not.toContain('internal detail');
  });
});

describe('persisted operations', () => {
  const document = 'query Timeline { trainingJob(jobId: "job-complete") { operations { totalCount } } }';
  const hash = createHash('sha256').update(document).digest('hex');
  const persisted = (sha256Hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash } } });

  async function post(yoga: Harness['app'], body: unknown) {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
    };
  }

  it('runs a listed operation by hash, and nothing else, before any call', async () => {
    const { app: yoga, simulator } = await app({ persistedOperations: new Map([[hash, document]]) });
    expect((await post(yoga, persisted(hash))).body).toEqual({
      data: { trainingJob: { operations: { totalCount: 7 } } },
    });
    expect(simulator.requests).toHaveLength(1);
    simulator.reset();
    const arbitrary = await post(yoga, { query: document });
    expect(arbitrary.status).toBe(400);
    expect(arbitrary.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post(yoga, persisted('0'.repeat(64)));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect((await post(yoga, {})).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    const renamed = await post(yoga, { ...persisted(hash), operationName: 'Other' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_OPERATION_NAME');
    // None of the refused requests reached the upstream.
    expect(simulator.requests).toHaveLength(0);
    expect((await post(yoga, { ...persisted(hash), operationName: 'Timeline' })).status).toBe(200);
    expect(simulator.requests).toHaveLength(1);
  });
});
