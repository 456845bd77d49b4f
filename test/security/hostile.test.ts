// A corpus of hostile requests against a real listening server on loopback. Each
// gets a 4xx, a GraphQL error, or a normal answer where the input is in fact
// valid; never a 5xx; the server stays up; and the upstream only ever sees
// /v1/<project>/voice-training-manage/user/jobs/<one segment>/op-logs.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { MetaStudioClient } from '../../src/upstream/client.js';
import { encodeCursor } from '../../src/schema/cursor.js';
import { registerSecret } from '../support/runSecrets.js';

let simulator: Simulator;
let proxy: Server;
let server: Server;
let client: MetaStudioClient;
let base: string;
/** Every request line the upstream received, raw, before any URL normalisation. */
const upstreamPaths: string[] = [];

async function listen(s: Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  simulator = await startSimulator({ recordRequests: false });
  registerSecret(simulator.credentials.secretKey);
  const simulatorUrl = new URL(simulator.url);
  // Records the raw path, then passes the exchange through to the simulator unchanged.
  proxy = createServer((req, res) => {
    upstreamPaths.push(req.url ?? '');
    const forward = httpRequest(
      { host: simulatorUrl.hostname, port: simulatorUrl.port, method: req.method, path: req.url, headers: req.headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const proxyPort = await listen(proxy);
  client = new MetaStudioClient({
    endpoint: `http://127.0.0.1:${proxyPort}`,
    projectId: simulator.projectId,
    credentials: simulator.credentials,
    timeoutMs: 5_000,
    concurrency: 8,
  });
  server = createServer(createApp({ client }));
  base = `http://127.0.0.1:${await listen(server)}`;
});

afterAll(async () => {
  for (const s of [server, proxy]) {
    s?.closeAllConnections();
    await new Promise((resolve) => s?.close(resolve));
  }
  await client?.close();
  await simulator?.close();
});

interface Case {
  name: string;
  method?: string;
  /** Path and query after the origin; /graphql by default. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Blob;
}

const CSRF = { 'x-graphql-yoga-csrf': '1' };
const json = (_body: unknown, headers: Record<string, string> = {}): Case['headers'] & object => ({
  'content-type': 'application/json',
  ...headers,
});
const post = (name: string, body: unknown): Case => ({
  name,
  method: 'POST',
  headers: json(body),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const get = (name: string, params: Record<string, string>, headers: Record<string, string> = CSRF): Case => ({
  name,
  path: `/graphql?${new URLSearchParams(params).toString()}`,
  headers,
});
const operations = (jobIdLiteral: string) => `{ trainingJob(jobId: ${jobIdLiteral}) { operations { totalCount } } }`;
const byVariable = 'query($id: ID!) { trainingJob(jobId: $id) { operations(limit: 1) { totalCount } } }';

const HOSTILE_JOB_IDS: [string, string][] = [
  ['unicode', '作业-一'],
  ['emoji', 'job-🎙️'],
  ['right-to-left override', 'job-\u202Egnp.exe'],
  ['zero-width joiner', 'job\u200D-complete'],
  ['combining marks', 'e\u0301\u0301\u0301'],
  ['NUL', 'job\u0000x'],
  ['LF', 'job\nx'],
  ['CR LF', 'job\r\nX-Injected: 1'],
  ['tab', 'job\tx'],
  ['DEL', 'job\u007f'],
  ['C1 control', 'job\u0085'],
  ['dot', '.'],
  ['dot dot', '..'],
  ['traversal', '../../../etc/passwd'],
  ['slash', 'a/b'],
  ['backslash traversal', '..\\..\\x'],
  ['encoded slash', 'a%2Fb'],
  ['encoded dots', '%2e%2e'],
  ['double-encoded dots', '%252e%252e'],
  ['query in id', 'job?offset=0&limit=100'],
  ['fragment in id', 'job#x'],
  ['semicolon', 'job;x=1'],
  ['spaces', '   '],
  ['empty', ''],
  ['10,000 characters', 'j'.repeat(10_000)],
  ['129 characters', 'j'.repeat(129)],
  ['lone surrogate', '\uD800'],
  ['full-width slash', 'a\uFF0Fb'],
  ['URL', 'http://169.254.169.254/latest'],
  ['percent alone', '%'],
  ['at sign and colon', 'user:pw@host'],
  ['template', '{project_id}'],
];

const fragmentBomb = (levels: number) =>
  `{ trainingJob(jobId: "job-complete") { ...F0 } }\n` +
  Array.from({ length: levels }, (_, i) =>
    i + 1 < levels
      ? `fragment F${i} on TrainingJob { jobId ...F${i + 1} ...F${i + 1} }`
      : `fragment F${i} on TrainingJob { jobId }`,
  ).join('\n');

const CASES: Case[] = [
  // Malformed JSON and wrong bodies.
  ...[
    '{',
    '{"query":',
    '}',
    'null',
    '[]',
    '"a string"',
    '123',
    'true',
    '{"query": 1}',
    '{"query": null}',
    '{"query": {}}',
    '{"query": ["{ __typename }"]}',
    '{"query":"{ __typename }"}trailing',
    '{"query":"{ __typename }","variables":"not an object"}',
    '{"query":"{ __typename }","variables":[1,2]}',
    '{"query":"{ __typename }","extensions":"x"}',
    '{"query":"{ __typename }","operationName":5}',
    '\uFEFF{"query":"{ __typename }"}',
    `{"query":"{ __typename }","variables":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
    '{"__proto__":{"query":"{ __typename }"}}',
    '{"query":"{ __typename }","constructor":{"prototype":{"polluted":true}}}',
    '',
  ].map((body, i) => post(`malformed JSON #${i + 1}`, body)),
  {
    name: 'invalid UTF-8',
    method: 'POST',
    headers: json(null),
    body: new Blob([new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])]),
  },
  // Content types.
  ...[
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/graphql',
    'application/octet-stream',
    '*/*',
    'application/json, text/plain',
  ].map(
    (type): Case => ({
      name: `content type ${type}`,
      method: 'POST',
      headers: { 'content-type': type },
      body: JSON.stringify({ query: '{ __typename }' }),
    }),
  ),
  { name: 'no content type', method: 'POST', body: JSON.stringify({ query: '{ __typename }' }) },
  ...['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map(
    (method): Case => ({
      name: `method ${method}`,
      method,
      headers: json(null),
      body: method === 'HEAD' || method === 'OPTIONS' ? undefined : '{}',
    }),
  ),
  // GET.
  get('GET with a mutation', { query: 'mutation { trainingJob(jobId: "x") { jobId } }' }),
  get('GET with a subscription', { query: 'subscription { x }' }),
  get('GET with unparsable variables', { query: byVariable, variables: '{id:' }),
  get('GET with variables that are not an object', { query: byVariable, variables: '"job-complete"' }),
  get('GET with unparsable extensions', { query: '{ __typename }', extensions: '{{' }),
  get('GET with no query', {}),
  get('GET without a CSRF header', { query: '{ __typename }' }, {}),
  { name: 'GET with a 20 kB query string', path: `/graphql?query=${'%7B'.repeat(20_000)}`, headers: CSRF },
  { name: 'GET of a path with traversal', path: '/graphql/../../etc/passwd' },
  { name: 'GET of an encoded traversal', path: '/%2e%2e/%2e%2e/etc/passwd' },
  // Size and shape.
  post('huge body (200 kB)', { query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } }),
  post('deep selection nesting', {
    query: `{ ${'trainingJob(jobId: "a") { '.repeat(1) + 'operations { nodes { externalInfo { '.repeat(1)} reviewIdList } } } } }`,
  }),
  post('1,000 nested braces', { query: '{'.repeat(1000) + '}'.repeat(1000) }),
  post('100,000 nested lists in an argument', {
    query: `{ trainingJobs(jobIds: ${'['.repeat(5000)}${']'.repeat(5000)}) { jobId } }`,
  }),
  post('alias bomb', {
    query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: trainingJob(jobId: "job-complete") { operations { totalCount } }`).join(' ')} }`,
  }),
  post('alias bomb within the token limit', {
    query: `{ trainingJob(jobId: "job-complete") { ${Array.from({ length: 60 }, (_, i) => `o${i}: operations(offset: ${i}) { totalCount }`).join(' ')} } }`,
  }),
  post('fragment bomb', { query: fragmentBomb(30) }),
  post('fragment cycle', {
    query:
      '{ trainingJob(jobId: "job-complete") { ...A } } fragment A on TrainingJob { jobId ...B } fragment B on TrainingJob { ...A }',
  }),
  post('self-referencing fragment', {
    query: '{ trainingJob(jobId: "job-complete") { ...A } } fragment A on TrainingJob { ...A }',
  }),
  post('directive bomb', { query: `{ __typename ${'@skip(if: false) '.repeat(200)} }` }),
  post('introspection of deep types', {
    query: `{ __schema { types { ${'fields { type { '.repeat(20)} name ${'} } '.repeat(20)} } } }`,
  }),
  post(
    'batch of 1,000',
    Array.from({ length: 1000 }, () => ({ query: '{ __typename }' })),
  ),
  post('many operations, none named', { query: '{ a: __typename } { b: __typename }' }),
  post('unknown operation name', { query: 'query A { __typename }', operationName: 'B' }),
  post('1,000 variables', {
    query: `query(${Array.from({ length: 1000 }, (_, i) => `$v${i}: ID`).join(' ')}) { __typename }`,
  }),
  // Invalid variable types.
  ...[
    ['jobId as a number', { id: 5 }],
    ['jobId as an object', { id: { $ne: null } }],
    ['jobId as a list', { id: ['a', 'b'] }],
    ['jobId null', { id: null }],
    ['jobId missing', {}],
  ].map(([name, variables]) => post(`variable ${name as string}`, { query: byVariable, variables })),
  ...[
    ['limit as a string', '"10"'],
    ['limit over 32 bits', '4294967296'],
    ['limit as a float', '1.5'],
    ['negative offset', '-1'],
    ['offset past int32', '2147483648'],
  ].map(([name, value]) =>
    post(`argument ${name}`, {
      query: `{ trainingJob(jobId: "job-complete") { operations(${name!.includes('offset') ? 'offset' : 'limit'}: ${value}) { totalCount } } }`,
    }),
  ),
  post('both paging forms', {
    query: '{ trainingJob(jobId: "job-complete") { operations(offset: 1, first: 2) { totalCount } } }',
  }),
  // Hostile job ids, as literals and as variables.
  ...HOSTILE_JOB_IDS.flatMap(([name, id]) => [
    post(`job id ${name} (variable)`, { query: byVariable, variables: { id } }),
    post(`job id ${name} (in trainingJobs)`, {
      query: 'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations(limit: 1) { totalCount } } }',
      variables: { ids: [id, 'job-complete'] },
    }),
  ]),
  post('job id with GraphQL escapes', { query: operations('"\\u0000\\n\\u002F"') }),
  post('job id block string', { query: operations('"""../\n../"""') }),
  post('_entities with a traversal id', {
    query:
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on TrainingJob { operations { totalCount } } } }',
    variables: { r: [{ __typename: 'TrainingJob', jobId: '../x' }] },
  }),
  post('_entities with a non-object', {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
    variables: { r: ['x', 1, null] },
  }),
  post('_entities with a foreign type', {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
    variables: { r: [{ __typename: 'User', id: 1 }] },
  }),
  // Oversized id lists.
  post('101 ids', {
    query: 'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }',
    variables: { ids: Array(101).fill('job-complete') },
  }),
  post('10,000 ids', {
    query: 'query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId } }',
    variables: { ids: Array.from({ length: 10_000 }, (_, i) => `j${i}`) },
  }),
  post('10,000 representations', {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
    variables: { r: Array.from({ length: 10_000 }, () => ({ __typename: 'TrainingJob', jobId: 'x' })) },
  }),
  // Forged cursors.
  ...[
    ['empty', ''],
    ['not base64', '!!!'],
    ['another prefix', Buffer.from('user:1').toString('base64url')],
    ['negative offset', Buffer.from('oplog:-1').toString('base64url')],
    ['past int32', Buffer.from('oplog:99999999999').toString('base64url')],
    ['the last position', Buffer.from('oplog:2147483647').toString('base64url')],
    ['padded base64', `${encodeCursor(3)}==`],
    ['standard base64', Buffer.from('oplog:3').toString('base64')],
    ['leading zero', Buffer.from('oplog:03').toString('base64url')],
    ['10,000 characters', 'A'.repeat(10_000)],
    ['JSON', '{"offset":1}'],
    ['a valid one', encodeCursor(24)],
  ].map(([name, after]) =>
    post(`cursor ${name}`, {
      query:
        'query($after: String) { trainingJob(jobId: "job-long-history") { operations(first: 5, after: $after) { totalCount } } }',
      variables: { after },
    }),
  ),
];

/** Raw requests that fetch would refuse to send: CR/LF and other bytes in headers. */
const RAW: [string, string][] = [
  [
    'LF inside a header value',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-A: a\nX-Injected: b\r\nContent-Length: 26\r\n\r\n{"query":"{ __typename }"}',
  ],
  [
    'CR inside a header value',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-A: a\rX-Injected: b\r\nContent-Length: 26\r\n\r\n{"query":"{ __typename }"}',
  ],
  ['CR LF in the request target', 'GET /graphql?query={__typename}\r\nX-Injected: 1 HTTP/1.1\r\nHost: x\r\n\r\n'],
  [
    'obsolete line folding',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-A: a\r\n folded\r\nContent-Length: 26\r\n\r\n{"query":"{ __typename }"}',
  ],
  [
    'NUL in a header value',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer a\u0000b\r\nContent-Length: 26\r\n\r\n{"query":"{ __typename }"}',
  ],
  [
    'space before the colon',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type : application/json\r\nContent-Length: 26\r\n\r\n{"query":"{ __typename }"}',
  ],
  [
    'two Content-Lengths',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 26\r\nContent-Length: 5\r\n\r\n{"query":"{ __typename }"}',
  ],
  [
    'Content-Length and chunked',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n{"query":"{ __typename }"}\r\n0\r\n\r\n',
  ],
  [
    'bad chunk size',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  ],
  [
    'Content-Length that is not a number',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1e3\r\n\r\n{}',
  ],
  [
    'a 20 kB header',
    `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\nX-Graphql-Yoga-Csrf: 1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  ],
  ['not HTTP', 'HELLO\r\n\r\n'],
  [
    'a request line with no HTTP version (HTTP/0.9)',
    'GET /graphql?query=%7B__typename%7D\r\nX-Graphql-Yoga-Csrf: 1\r\n\r\n',
  ],
  [
    'a declared 10 GB body',
    'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"query":',
  ],
];

function rawRequest(text: string): Promise<number> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (/^HTTP\/1\.1 \d{3}/.test(answer)) {
        socket.destroy();
        resolve(Number(answer.slice(9, 12)));
      }
    });
    socket.on('error', reject);
    // A server may hang up without answering, which is also not a 5xx.
    socket.on('close', () => resolve(0));
    socket.end(text);
  });
}

const pathPattern = () =>
  new RegExp(`^/v1/${simulator.projectId}/voice-training-manage/user/jobs/([^/?#]+)/op-logs\\?offset=\\d+&limit=\\d+$`);

describe('hostile requests', () => {
  it('has at least 100 cases', () => {
    expect(CASES.length + RAW.length).toBeGreaterThanOrEqual(100);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: never a 5xx', async (_name, c) => {
    const response = await fetch(`${base}${c.path ?? '/graphql'}`, {
      method: c.method ?? 'GET',
      headers: c.headers,
      body: c.body,
    });
    const text = await response.text();
    expect(response.status, text.slice(0, 500)).toBeLessThan(500);
    if (response.status === 200 && (c.method ?? 'GET') !== 'HEAD') {
      // A 200 is a GraphQL answer: data, or errors that each carry a code.
      const body = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect('data' in body || 'errors' in body).toBe(true);
      for (const error of body.errors ?? []) expect(error.extensions?.code, text.slice(0, 500)).toBeTruthy();
    }
  });

  it.each(RAW)('%s (raw socket): answered 4xx or closed, never a 5xx', async (_name, text) => {
    const status = await rawRequest(text);
    expect(status === 0 || (status >= 400 && status < 500), `status ${status}`).toBe(true);
  });

  it('refuses the HTTP/0.9 request line with 400, not only some 4xx', async () => {
    const [, line] = RAW.find(([name]) => name.includes('HTTP/0.9'))!;
    expect(await rawRequest(line)).toBe(400);
  });

  it('answers a body that is not JSON with the same 400 whatever is accepted, without the parser text', async () => {
    const answers = [];
    for (const accept of ['application/json', 'application/graphql-response+json', 'text/event-stream']) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: '{"query": "{ __typename }", "secret-ish": oops',
      });
      answers.push({ accept, status: response.status, body: await response.json() });
    }
    const expected = { errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] };
    expect(answers).toEqual([
      { accept: 'application/json', status: 400, body: expected },
      { accept: 'application/graphql-response+json', status: 400, body: expected },
      { accept: 'text/event-stream', status: 400, body: expected },
    ]);
  });

  it('answers valid unicode job ids normally', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: json(null),
      body: JSON.stringify({ query: byVariable, variables: { id: '作业-一' } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_NOT_FOUND');
  });

  it('stays up, and the upstream only saw op-logs paths of one segment', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: json(null),
      body: JSON.stringify({ query: operations('"job-complete"') }),
    });
    expect(await response.json()).toEqual({ data: { trainingJob: { operations: { totalCount: 7 } } } });

    expect(upstreamPaths.length).toBeGreaterThan(0);
    const pattern = pathPattern();
    for (const path of upstreamPaths) {
      const segment = pattern.exec(path)?.[1];
      expect(segment, path).toBeDefined();
      const decoded = decodeURIComponent(segment!);
      expect(decoded, path).not.toMatch(/^\.\.?$/);
      expect(decoded, path).not.toContain('/');
    }
  });
});
