// Operation limits, MAX_UPSTREAM_CALLS, the body limit, batching and the caller
// rate limit: each refusal names its setting, and makes no upstream call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/graphiql/examples.js';
import { DEFAULT_LIMITS } from '../../src/security/policy.js';
import { estimateUpstreamCalls } from '../../src/security/useUpstreamCallLimit.js';
import { schema } from '../../src/schema/index.js';
import { parse } from 'graphql';
import { firstEvent } from '../support/firstEvent.js';
import { startHarness, type Harness } from '../support/harness.js';
import { TEST_SECRETS } from '../support/secrets.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string; limit?: string } }[] };
}

async function post(body: unknown, headers: Record<string, string> = {}, app = harness.app): Promise<Answer> {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

async function expectLimit(body: unknown, limit: string, status = 400) {
  harness.simulator.reset();
  const answer = await post(body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const error = answer.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit });
  expect(error?.message).toContain(limit);
  expect(harness.simulator.requests).toHaveLength(0);
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `job-${i}`);

describe('operation limits (defaults)', () => {
  it('lets every example run under the defaults', async () => {
    for (const example of EXAMPLES) {
      const answer = /^subscription /m.test(example)
        ? await firstEvent(harness.app, { query: example })
        : await post({ query: example });
      expect(answer.status, example).toBe(200);
      expect(answer.body.errors?.some((e) => e.extensions?.code === 'LIMIT_EXCEEDED') ?? false).toBe(false);
    }
  });

  it('refuses a fragment chain deeper than MAX_DEPTH: each spread counts as a level', async () => {
    const levels = DEFAULT_LIMITS.maxDepth;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i + 1 < levels
        ? `fragment F${i} on TrainingJob { jobId ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on TrainingJob { jobId }`,
    ).join('\n');
    await expectLimit({ query: `{ trainingJob(jobId: "job-complete") { ...F0 } }\n${fragments}` }, 'MAX_DEPTH');
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: jobId`).join(' ');
    await expectLimit({ query: `{ trainingJob(jobId: "job-complete") { ${aliases} } }` }, 'MAX_ALIASES');
  });

  it('refuses more tokens than MAX_TOKENS before validating', async () => {
    await expectLimit(
      { query: `{ trainingJob(jobId: "job-complete") { ${'jobId '.repeat(DEFAULT_LIMITS.maxTokens)} } }` },
      'MAX_TOKENS',
    );
  });

  it('refuses more directives than MAX_DIRECTIVES', async () => {
    await expectLimit(
      {
        query: `{ trainingJob(jobId: "job-complete") { jobId ${'@include(if: true) '.repeat(DEFAULT_LIMITS.maxDirectives + 1)} } }`,
      },
      'MAX_DIRECTIVES',
    );
  });
});

describe('MAX_UPSTREAM_CALLS', () => {
  it('estimates ids × operations fields, _entities representations, variables included', () => {
    const estimate = (query: string, variables?: Record<string, unknown>) =>
      estimateUpstreamCalls(schema, parse(query), undefined, variables);
    expect(estimate('{ trainingJob(jobId: "a") { jobId } }')).toBe(0);
    expect(estimate('{ trainingJob(jobId: "a") { operations { totalCount } } }')).toBe(1);
    expect(
      estimate(
        'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } o2: operations(limit: 5) { totalCount } } }',
        { ids: ids(30) },
      ),
    ).toBe(60);
    // Fields that graphql-js merges (same response key) are one field, also through fragments.
    expect(
      estimate(
        '{ trainingJobs(jobIds: ["a", "b"]) { operations { totalCount } ...F } } fragment F on TrainingJob { operations { nodes { time } } }',
      ),
    ).toBe(2);
    expect(
      estimate(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations { totalCount } } } }',
        { r: ids(7).map((jobId) => ({ __typename: 'TrainingJob', jobId })) },
      ),
    ).toBe(7);
    // operationHistory reads one call per upstream page of max (default 1000).
    expect(estimate('{ trainingJob(jobId: "a") { operationHistory { action } } }')).toBe(10);
    expect(
      estimate('query($m: Int) { trainingJobs(jobIds: ["a", "b"]) { operationHistory(max: $m) { action } } }', {
        m: 250,
      }),
    ).toBe(6);
    // A repeated job costs once: the loaders share its calls.
    expect(estimate('{ trainingJobs(jobIds: ["a", "b", "a", "a"]) { operations { totalCount } } }')).toBe(2);
    expect(
      estimate(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations { totalCount } } } }',
        { r: Array(500).fill({ __typename: 'TrainingJob', jobId: 'a' }) },
      ),
    ).toBe(1);
    // Over 100 ids is refused by the resolver (BAD_USER_INPUT) before any call.
    expect(
      estimate('query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }', { ids: ids(101) }),
    ).toBe(0);
  });

  it("works a document out once, and follows each request's variables", () => {
    const document = parse(
      'query($ids: [ID!]!, $m: Int) { trainingJobs(jobIds: $ids) { operations { totalCount } operationHistory(max: $m) { action } } }',
    );
    const estimate = (variables: Record<string, unknown>) =>
      estimateUpstreamCalls(schema, document, undefined, variables);
    expect(estimate({ ids: ids(30), m: 100 })).toBe(60);
    expect(estimate({ ids: ids(2), m: 250 })).toBe(8);
    expect(estimate({ ids: ids(2) })).toBe(22);
    expect(estimate({ ids: [{}] })).toBe(0);
    const fixed = parse(
      'query($id: ID!) { a: trainingJob(jobId: $id) { operations { totalCount } } b: trainingJobs(jobIds: ["x", "y"]) { operations { totalCount } } }',
    );
    expect(estimateUpstreamCalls(schema, fixed, undefined, { id: 'x' })).toBe(3);
    expect(estimateUpstreamCalls(schema, fixed, undefined, { id: 5 })).toBe(3);
    expect(estimateUpstreamCalls(schema, fixed, undefined, { id: null })).toBe(0);
  });

  it('counts variable defaults as execution will use them', () => {
    const estimate = (query: string, variables?: Record<string, unknown>) =>
      estimateUpstreamCalls(schema, parse(query), undefined, variables);
    const list = (values: string[]) => `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
    const threeFields =
      '{ a: operations(offset: 0) { totalCount } b: operations(offset: 1) { totalCount } c: operations(offset: 2) { totalCount } }';
    expect(estimate(`query($ids: [ID!]! = ${list(ids(100))}) { trainingJobs(jobIds: $ids) ${threeFields} }`)).toBe(300);
    // A value sent for the variable wins over its default.
    expect(
      estimate(`query($ids: [ID!]! = ${list(ids(100))}) { trainingJobs(jobIds: $ids) ${threeFields} }`, {
        ids: ids(2),
      }),
    ).toBe(6);
    const representations = ids(40)
      .map((jobId) => `{ __typename: "TrainingJob", jobId: "${jobId}" }`)
      .join(', ');
    expect(
      estimate(
        `query($r: [_Any!]! = [${representations}]) { _entities(representations: $r) { ... on TrainingJob { operations { totalCount } } } }`,
      ),
    ).toBe(40);
    // Defaults of variables used as list items.
    expect(
      estimate('query($a: ID! = "a", $b: ID! = "b") { trainingJobs(jobIds: [$a, $b]) { operations { totalCount } } }'),
    ).toBe(2);
    expect(estimate('query($m: Int = 250) { trainingJob(jobId: "a") { operationHistory(max: $m) { action } } }')).toBe(
      3,
    );
    // Variables that execution refuses cause no call.
    expect(
      estimate('query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }', { ids: [{}] }),
    ).toBe(0);
  });

  it('refuses an operation whose variable defaults exceed the limit, before any call', async () => {
    const query = `query($ids: [ID!]! = [${ids(100)
      .map((id) => `"${id}"`)
      .join(
        ', ',
      )}]) { trainingJobs(jobIds: $ids) { a: operations(offset: 0) { totalCount } b: operations(offset: 1) { totalCount } } }`;
    await expectLimit({ query }, 'MAX_UPSTREAM_CALLS');
  });

  it('lets a dashboard of 100 jobs run, and refuses twice that before any call', async () => {
    harness.simulator.reset();
    const query = 'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations(limit: 1) { totalCount } } }';
    const full = await post({ query, variables: { ids: ids(100) } });
    expect(full.body.errors?.every((e) => e.extensions?.code === 'UPSTREAM_NOT_FOUND')).toBe(true);
    expect(harness.simulator.requests).toHaveLength(100);
    await expectLimit(
      {
        query:
          'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } again: operations(limit: 1) { totalCount } } }',
        variables: { ids: ids(51) },
      },
      'MAX_UPSTREAM_CALLS',
    );
  });

  it('refuses an _entities request with too many representations', async () => {
    const representations = ids(101).map((jobId) => ({ __typename: 'TrainingJob', jobId }));
    await expectLimit(
      {
        query:
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations { totalCount } } } }',
        variables: { r: representations },
      },
      'MAX_UPSTREAM_CALLS',
    );
  });
});

describe('request limits', () => {
  it('answers a body over MAX_BODY_BYTES with 413, declared or streamed', async () => {
    const huge = JSON.stringify({
      query: `{ __typename }`,
      variables: { pad: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) },
    });
    await expectLimit(huge, 'MAX_BODY_BYTES', 413);
    // No Content-Length: the body arrives as a stream and is cut off on the way in.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(huge));
        controller.close();
      },
    });
    const response = await harness.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('MAX_BODY_BYTES');
  });

  it('refuses a batch of operations with 400', async () => {
    const answer = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toMatch(/Batching is not supported/);
  });

  it('refuses more than 100 trainingJobs ids with BAD_USER_INPUT and no call', async () => {
    harness.simulator.reset();
    const answer = await post({
      query: 'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }',
      variables: { ids: ids(101) },
    });
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.simulator.requests).toHaveLength(0);
  });
});

describe('CALLER_RATE_LIMIT', () => {
  it('answers 429 RATE_LIMITED past the rate, per caller, and lets the caller back in as time passes', async () => {
    let now = 0;
    const { useCallerRateLimit } = await import('../../src/security/useCallerRateLimit.js');
    const { createYoga } = await import('graphql-yoga');
    const app = createYoga({ schema, plugins: [useCallerRateLimit({ perSecond: 2, now: () => now })], logging: false });
    const hit = () => post({ query: '{ __typename }' }, {}, app as unknown as Harness['app']);
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(200);
    const limited = await hit();
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'CALLER_RATE_LIMIT' });
    now += 500; // half a second refills one request at 2/s
    expect((await hit()).status).toBe(200);
    expect((await hit()).status).toBe(429);
  });

  it('keys callers by API key before the client address', async () => {
    const { createHash } = await import('node:crypto');
    const keys = ['key-one-0123456789', 'key-two-0123456789'];
    const limited = await startHarness({
      security: {
        auth: { mode: 'apikey', keyDigests: keys.map((k) => createHash('sha256').update(k).digest('hex')) },
        callerRateLimit: 1,
      },
    });
    try {
      const as = (key: string) => post({ query: '{ __typename }' }, { 'x-api-key': key }, limited.app);
      expect((await as(keys[0]!)).status).toBe(200);
      expect((await as(keys[0]!)).status).toBe(429);
      // Another caller has its own bucket.
      expect((await as(keys[1]!)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('keys callers by JWT subject before the client address', async () => {
    const { SignJWT } = await import('jose');
    const secret = new TextEncoder().encode(TEST_SECRETS.jwtSecret);
    const token = (subject: string, id: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(subject)
        .setJti(id)
        .setExpirationTime('5m')
        .sign(secret);
    // Two different tokens of one subject are one caller: the subject is the key, not the token.
    const [alice, aliceAgain, bob] = await Promise.all([token('alice', '1'), token('alice', '2'), token('bob', '3')]);
    const limited = await startHarness({
      security: { auth: { mode: 'jwt', secret: TEST_SECRETS.jwtSecret }, callerRateLimit: 1 },
    });
    try {
      const as = (jwt: string) => post({ query: '{ __typename }' }, { authorization: `Bearer ${jwt}` }, limited.app);
      expect((await as(alice)).status).toBe(200);
      const again = await as(aliceAgain);
      expect(again.status).toBe(429);
      expect(again.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'CALLER_RATE_LIMIT' });
      // Another subject, from the same address, has its own bucket.
      expect((await as(bob)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
