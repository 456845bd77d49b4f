import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { request } from 'undici';
import { JOB_HISTORIES, type WireOperation } from '../../src/simulator/histories.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import type { MetaStudioClient, MetaStudioClientOptions } from '../../src/upstream/client.js';
import { UpstreamError } from '../../src/upstream/errors.js';
import { canonicalQuery, encodePath, formatSdkDate, signRequest, type Credentials } from '../../src/upstream/signer.js';
import { registerSecret } from '../support/runSecrets.js';
import { TEST_SECRETS } from '../support/secrets.js';
import { simulatorClient } from '../support/simulatorClient.js';

// --- helpers -----------------------------------------------------------------

function clientFor(simulator: Simulator, overrides: Partial<MetaStudioClientOptions> = {}): MetaStudioClient {
  // These tests are about what the simulator answers, so every call is one request.
  return simulatorClient(simulator, { concurrency: 4, retries: 0, ...overrides });
}

/** Awaits a call that must fail, and returns its UpstreamError. */
async function upstreamError(call: Promise<unknown>): Promise<UpstreamError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

interface RawOptions {
  jobId?: string;
  /** What gets signed; also what is sent unless `sentQuery` is given. */
  query?: Record<string, string>;
  /** The query string actually sent, to tamper with it after signing. */
  sentQuery?: string;
  credentials?: Credentials;
  sdkDate?: string;
  withoutAuthorization?: boolean;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error_code?: string; error_msg?: string; count?: number; operations?: WireOperation[] };
}

/** A request signed by hand, for what our client never sends (bad parameters, bad signatures). */
async function rawGet(simulator: Simulator, options: RawOptions = {}): Promise<RawResponse> {
  const { host } = new URL(simulator.url);
  const segments = [
    'v1',
    simulator.projectId,
    'voice-training-manage',
    'user',
    'jobs',
    options.jobId ?? 'job-complete',
    'op-logs',
  ];
  const query = options.query ?? { offset: '0', limit: '10' };
  const signed = signRequest(
    {
      method: 'GET',
      host,
      pathSegments: segments,
      query,
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': simulator.projectId },
      sdkDate: options.sdkDate ?? formatSdkDate(new Date()),
    },
    options.credentials ?? simulator.credentials,
  );
  // undici sets Host from the URL, which is exactly the host we signed.
  const { Host: _host, ...headers } = signed;
  if (options.withoutAuthorization) delete headers.Authorization;
  const queryString = options.sentQuery ?? canonicalQuery(query);
  const response = await request(`${simulator.url}${encodePath(segments)}${queryString ? `?${queryString}` : ''}`, {
    method: 'GET',
    headers,
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as RawResponse['body'],
  };
}

const minutesFromNow = (minutes: number) => formatSdkDate(new Date(Date.now() + minutes * 60_000));

// Ids that are valid for us (no "/", no control characters) but awkward on the wire.
const ODD_JOB_IDS = [
  'é训练😀',
  'job with spaces',
  '100%',
  '%2F-looks-encoded',
  'a+b',
  'ns:job:1',
  "it's (draft)*!",
  'a?b#c&d=e',
  'quote"back\\slash',
  '...',
  '~._-',
];
const ONE_OP: WireOperation[] = [{ time: 1_790_000_000_000, action: 'CREATE_JOB', operator: 'USER' }];

// --- the main simulator -----------------------------------------------------

let simulator: Simulator;
let client: MetaStudioClient;
/** Clients a single test makes; closed after it. */
const extraClients: MetaStudioClient[] = [];
const extraClient = (overrides: Partial<MetaStudioClientOptions>) => {
  const c = clientFor(simulator, overrides);
  extraClients.push(c);
  return c;
};

beforeAll(async () => {
  simulator = await startSimulator({ histories: new Map(ODD_JOB_IDS.map((id) => [id, ONE_OP])) });
  registerSecret(simulator.credentials.secretKey);
  client = clientFor(simulator);
});

afterAll(async () => {
  await client.close();
  await simulator.close();
});

// Signature failures, AK locks and injected faults must not leak between tests.
beforeEach(() => simulator.reset());

afterEach(async () => {
  await Promise.all(extraClients.splice(0).map((c) => c.close()));
});

describe('signed requests from the client are accepted', () => {
  it.each(ODD_JOB_IDS)('job id %j', async (jobId) => {
    const page = await client.listOperationLogs({ jobId, offset: 0, limit: 10 });
    expect(page.count).toBe(1);
    expect(page.operations[0]?.action).toBe('CREATE_JOB');
    // The simulator decoded the path segment back to exactly our id.
    expect(simulator.requests).toMatchObject([{ jobId, status: 200 }]);
  });

  it('a hand-signed request for a history gets 200 (the raw helper itself is sound)', async () => {
    const response = await rawGet(simulator);
    expect(response.status).toBe(200);
    expect(response.body.count).toBe(7);
  });

  it('a project the credentials do not cover is refused with 403', async () => {
    const error = await upstreamError(
      extraClient({ projectId: 'ffffffffffffffffffffffffffffffff' }).listOperationLogs({
        jobId: 'job-complete',
        offset: 0,
        limit: 10,
      }),
    );
    expect(error.code).toBe('UPSTREAM_FORBIDDEN');
    expect(error.details).toMatchObject({ status: 403, errorCode: 'APIGW.0302' });
  });
});

describe('temporary credentials (security token)', () => {
  let tokenSimulator: Simulator;
  const credentials: Credentials = {
    accessKey: 'SIMTOKENAK0000000000',
    secretKey: TEST_SECRETS.simulatorTokenSk,
    securityToken: TEST_SECRETS.simulatorSecurityToken,
  };

  beforeAll(async () => {
    tokenSimulator = await startSimulator({ credentials, histories: new Map(ODD_JOB_IDS.map((id) => [id, ONE_OP])) });
  });
  afterAll(async () => {
    await tokenSimulator.close();
  });

  it('signed requests with the token are accepted, for odd ids too', async () => {
    const tokenClient = clientFor(tokenSimulator);
    try {
      for (const jobId of ['job-complete', ...ODD_JOB_IDS]) {
        await expect(tokenClient.listOperationLogs({ jobId, offset: 0, limit: 10 })).resolves.toHaveProperty('count');
      }
      expect(tokenSimulator.requests.every((r) => r.status === 200)).toBe(true);
      expect(tokenSimulator.requests[0]?.headers['x-security-token']).toBe(credentials.securityToken);
      expect(tokenSimulator.requests[0]?.headers.authorization).toContain('x-security-token');
    } finally {
      await tokenClient.close();
    }
  });

  it('the same AK/SK without the token is refused', async () => {
    const noToken = clientFor(tokenSimulator, {
      credentials: { accessKey: credentials.accessKey, secretKey: credentials.secretKey },
    });
    try {
      const error = await upstreamError(noToken.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 10 }));
      expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    } finally {
      await noToken.close();
      tokenSimulator.reset();
    }
  });
});

describe('the gateway refuses bad signatures', () => {
  it('wrong SK → 401 APIGW.0301 with an X-Request-Id', async () => {
    const response = await rawGet(simulator, {
      credentials: { ...simulator.credentials, secretKey: 'not-the-secret' },
    });
    expect(response.status).toBe(401);
    expect(response.body.error_code).toBe('APIGW.0301');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('unknown AK → 401', async () => {
    const response = await rawGet(simulator, {
      credentials: { ...simulator.credentials, accessKey: 'SOMEONEELSE000000000' },
    });
    expect(response.status).toBe(401);
    expect(response.body.error_code).toBe('APIGW.0301');
  });

  it('missing Authorization → 401', async () => {
    const response = await rawGet(simulator, { withoutAuthorization: true });
    expect(response.status).toBe(401);
    expect(response.body.error_code).toBe('APIGW.0301');
  });

  it('X-Sdk-Date more than 15 minutes off, either way → 401; 10 minutes off is fine', async () => {
    for (const minutes of [-16, 16, -60 * 24]) {
      const response = await rawGet(simulator, { sdkDate: minutesFromNow(minutes) });
      expect(response.status, `${minutes} minutes`).toBe(401);
      expect(response.body.error_msg).toMatch(/15 minutes/);
    }
    for (const minutes of [-10, 10]) {
      expect((await rawGet(simulator, { sdkDate: minutesFromNow(minutes) })).status, `${minutes} minutes`).toBe(200);
    }
  });

  it('query tampered with after signing → 401', async () => {
    const query = { offset: '0', limit: '10' };
    expect((await rawGet(simulator, { query, sentQuery: 'limit=10&offset=0' })).status).toBe(200);
    const tampered = await rawGet(simulator, { query, sentQuery: 'limit=100&offset=0' });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error_code).toBe('APIGW.0301');
  });

  it('the client maps 401 to UPSTREAM_UNAUTHORIZED with status, error code and request id', async () => {
    const badClient = extraClient({ credentials: { ...simulator.credentials, secretKey: 'not-the-secret' } });
    const error = await upstreamError(badClient.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 10 }));
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(error.details.status).toBe(401);
    expect(error.details.errorCode).toBe('APIGW.0301');
    expect(error.details.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(error.extensions.code).toBe('UPSTREAM_UNAUTHORIZED');
    // The client sent it once: a 401 is never retried.
    expect(simulator.requests).toHaveLength(1);
  });
});

describe('AK lock after repeated signature failures', () => {
  const wrongSk = () => ({ credentials: { ...simulator.credentials, secretKey: 'not-the-secret' } });

  it('5 consecutive failures do not lock yet', async () => {
    for (let i = 0; i < 5; i++) expect((await rawGet(simulator, wrongSk())).status).toBe(401);
    expect((await rawGet(simulator)).status).toBe(200);
  });

  it('a good signature resets the count', async () => {
    for (let i = 0; i < 5; i++) await rawGet(simulator, wrongSk());
    expect((await rawGet(simulator)).status).toBe(200);
    for (let i = 0; i < 5; i++) await rawGet(simulator, wrongSk());
    expect((await rawGet(simulator)).status).toBe(200);
  });

  it('more than 5 consecutive failures lock the AK: even a good signature is refused', async () => {
    for (let i = 0; i < 6; i++) expect((await rawGet(simulator, wrongSk())).status).toBe(401);
    const good = await rawGet(simulator);
    expect(good.status).toBe(401);
    expect(good.body.error_msg).toMatch(/locked/);
    await expect(client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 10 })).rejects.toMatchObject({
      code: 'UPSTREAM_UNAUTHORIZED',
    });
    simulator.reset();
    expect((await rawGet(simulator)).status).toBe(200);
  });
});

describe('offset and limit validation', () => {
  const bad: Array<Record<string, string>> = [
    { offset: '0', limit: '0' },
    { offset: '0', limit: '101' },
    { offset: '-1', limit: '10' },
    { offset: '2147483648', limit: '10' },
    { offset: '0', limit: 'abc' },
    { offset: '1.5', limit: '10' },
    { offset: '0', limit: '' },
  ];

  it.each(bad)('%j → 400 MSS.00000003', async (query) => {
    const response = await rawGet(simulator, { query });
    expect(response.status).toBe(400);
    expect(response.body.error_code).toBe('MSS.00000003');
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('the extremes are accepted', async () => {
    const last = await rawGet(simulator, { query: { offset: '2147483647', limit: '100' } });
    expect(last.status).toBe(200);
    expect(last.body).toEqual({ count: 7, operations: [] });
    const one = await rawGet(simulator, { query: { offset: '6', limit: '1' } });
    expect(one.body.operations?.map((op) => op.action)).toEqual(['COMPLETE_JOB']);
  });

  it('absent offset/limit default to 0 and 10', async () => {
    const response = await rawGet(simulator, { jobId: 'job-long-history', query: {} });
    expect(response.status).toBe(200);
    expect(response.body.operations).toEqual(JOB_HISTORIES.get('job-long-history')!.slice(0, 10));
    expect(simulator.requests).toMatchObject([{ offset: null, limit: null, status: 200 }]);
  });
});

describe('histories', () => {
  const list = (jobId: string, offset = 0, limit = 100) => client.listOperationLogs({ jobId, offset, limit });

  it('job-complete: the full lifecycle in 7 operations', async () => {
    const page = await list('job-complete');
    expect(page.count).toBe(7);
    expect(page.operations.map((op) => op.action)).toEqual([
      'CREATE_JOB',
      'COMMIT_JOB',
      'SYSTEM_AUDIT_PASS',
      'ADMIN_AUDIT_PASS',
      'TRAINING_FINISH',
      'UPLOADING_MODEL',
      'COMPLETE_JOB',
    ]);
    const times = page.operations.map((op) => op.time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('job-admin-rejected: AUDIT_NOT_PASS by ADMIN with a reason', async () => {
    const page = await list('job-admin-rejected');
    const last = page.operations.at(-1)!;
    expect(last).toMatchObject({ action: 'AUDIT_NOT_PASS', operator: 'ADMIN' });
    expect(last.externalInfo?.adminAuditFailureReason).toMatch(/authorization letter/);
    expect(last.externalInfo?.algorithmFailureReason).toBeNull();
  });

  it('job-algorithm-failed: algorithm_failure_reason', async () => {
    const page = await list('job-algorithm-failed');
    const last = page.operations.at(-1)!;
    expect(last).toMatchObject({ action: 'AUDIT_NOT_PASS', operator: 'SYSTEM' });
    expect(last.externalInfo?.algorithmFailureReason).toMatch(/noise/);
    expect(last.externalInfo?.reviewIdList).toEqual(['rv-5d02-speech-1']);
  });

  it('job-long-history: more than one upstream page', async () => {
    const first = await list('job-long-history', 0, 100);
    expect(first.count).toBeGreaterThan(100);
    expect(first.operations).toHaveLength(100);
    const rest = await list('job-long-history', 100, 100);
    expect(rest.count).toBe(first.count);
    expect(rest.operations).toHaveLength(first.count - 100);
    expect(rest.operations.at(-1)?.action).toBe('TRAINING_FINISH');
    // Pages join up without overlap: the first op of page 2 is op #100 of the history.
    expect(rest.operations[0]?.time).toBe(JOB_HISTORIES.get('job-long-history')![100]!.time);
  });

  it.each([
    ['job-created', 'CREATE_JOB'],
    ['job-in-review', 'SYSTEM_AUDIT_PASS'],
    ['job-training', 'ADMIN_AUDIT_PASS'],
    ['job-uploading', 'UPLOADING_MODEL'],
    ['job-paused', 'PAUSE_JOB'],
    ['job-resubmitted', 'COMMIT_JOB'],
    ['job-retrained', 'COMPLETE_JOB'],
  ])('%s: ends with %s, times in order', async (jobId, action) => {
    const page = await list(jobId);
    expect(page.operations.at(-1)?.action).toBe(action);
    const times = page.operations.map((op) => op.time!);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('job-resubmitted: a rejection, then a new commit', async () => {
    const actions = (await list('job-resubmitted')).operations.map((op) => op.action);
    expect(actions).toEqual(['CREATE_JOB', 'COMMIT_JOB', 'AUDIT_NOT_PASS', 'COMMIT_JOB']);
  });

  it('job-retrained: two COMPLETE_JOBs', async () => {
    const actions = (await list('job-retrained')).operations.map((op) => op.action);
    expect(actions.filter((a) => a === 'COMPLETE_JOB')).toHaveLength(2);
  });

  it('job-out-of-order: the newest operation is not listed last', async () => {
    const ops = (await list('job-out-of-order')).operations;
    const newest = ops.reduce((a, b) => (b.time! > a.time! ? b : a));
    expect(newest.action).toBe('ADMIN_AUDIT_PASS');
    expect(ops.at(-1)?.action).toBe('SYSTEM_AUDIT_PASS');
    expect(ops.at(-1)!.time).toBeLessThan(newest.time!);
  });

  it('job-empty: count 0', async () => {
    expect(await list('job-empty')).toEqual({ count: 0, operations: [] });
  });

  it('an unknown job → 404, UPSTREAM_NOT_FOUND', async () => {
    const error = await upstreamError(list('no-such-job'));
    expect(error.code).toBe('UPSTREAM_NOT_FOUND');
    expect(error.details).toMatchObject({ status: 404, errorCode: 'MSS.00000004' });
  });
});

describe('live jobs', () => {
  let clock = Date.UTC(2026, 11, 5, 12, 0);
  let live: Simulator;
  let liveClient: MetaStudioClient;
  const list = (jobId: string, offset = 0, limit = 100) => liveClient.listOperationLogs({ jobId, offset, limit });

  beforeAll(async () => {
    live = await startSimulator({ now: () => clock });
    registerSecret(live.credentials.secretKey);
    liveClient = clientFor(live);
  });

  afterAll(async () => {
    await liveClient.close();
    await live.close();
  });

  it('starts at the first request and gains one operation per step, timed when it happened', async () => {
    const started = clock;
    expect(await list('live-1000-a')).toEqual({
      count: 1,
      operations: [
        {
          time: started,
          action: 'CREATE_JOB',
          operator: 'USER',
          externalInfo: { reviewIdList: [], algorithmFailureReason: null, adminAuditFailureReason: null },
        },
      ],
    });
    clock += 999;
    expect((await list('live-1000-a')).count).toBe(1);
    clock += 1;
    const two = await list('live-1000-a');
    expect(two.operations.map((op) => [op.action, op.time])).toEqual([
      ['CREATE_JOB', started],
      ['COMMIT_JOB', started + 1000],
    ]);
    clock += 2500;
    const page = await list('live-1000-a', 1, 10);
    expect(page.count).toBe(4);
    expect(page.operations.map((op) => [op.action, op.operator, op.time])).toEqual([
      ['COMMIT_JOB', 'USER', started + 1000],
      ['SYSTEM_AUDIT_PASS', 'SYSTEM', started + 2000],
      ['ADMIN_AUDIT_PASS', 'ADMIN', started + 3000],
    ]);
  });

  it('ends with COMPLETE_JOB and stays there', async () => {
    const started = clock;
    await list('live-50-b');
    clock += 6 * 50;
    const done = await list('live-50-b');
    expect(done.operations.map((op) => op.action)).toEqual([
      'CREATE_JOB',
      'COMMIT_JOB',
      'SYSTEM_AUDIT_PASS',
      'ADMIN_AUDIT_PASS',
      'TRAINING_FINISH',
      'UPLOADING_MODEL',
      'COMPLETE_JOB',
    ]);
    expect(done.operations.at(-1)?.time).toBe(started + 300);
    clock += 3_600_000;
    expect(await list('live-50-b')).toEqual(done);
  });

  it('a name containing "rejected" ends with AUDIT_NOT_PASS and an admin reason', async () => {
    await list('live-10-was-rejected-1');
    clock += 3_600_000;
    const page = await list('live-10-was-rejected-1');
    expect(page.operations.map((op) => op.action)).toEqual([
      'CREATE_JOB',
      'COMMIT_JOB',
      'SYSTEM_AUDIT_PASS',
      'AUDIT_NOT_PASS',
    ]);
    expect(page.operations.at(-1)).toMatchObject({
      operator: 'ADMIN',
      externalInfo: { adminAuditFailureReason: expect.stringMatching(/authorization letter/) },
    });
  });

  it('each live job keeps its own start, also across reset()', async () => {
    await list('live-100-c');
    clock += 250;
    await list('live-100-d');
    live.reset();
    clock += 100;
    expect((await list('live-100-c')).count).toBe(4);
    expect((await list('live-100-d')).count).toBe(2);
  });

  it.each(['live-9-x', 'live-3600001-x', 'live-0100-x', 'live-100-', 'live-x-y', 'live-100'])(
    '%s is an unknown job (404)',
    async (jobId) => {
      const error = await upstreamError(list(jobId));
      expect(error.details).toMatchObject({ status: 404, errorCode: 'MSS.00000004' });
    },
  );

  it('the extreme steps are live jobs', async () => {
    expect((await list('live-10-x')).count).toBe(1);
    expect((await list('live-3600000-x')).count).toBe(1);
  });

  it('a request refused before reaching the job does not start it', async () => {
    const wrongKey = clientFor(live, { credentials: { ...live.credentials, secretKey: 'wrong' }, retries: 0 });
    await upstreamError(wrongKey.listOperationLogs({ jobId: 'live-100-e', offset: 0, limit: 10 }));
    await wrongKey.close();
    clock += 1000;
    expect((await list('live-100-e')).count).toBe(1);
  });
});

describe('injected faults', () => {
  const completeJob = (c: MetaStudioClient = client, jobId = 'job-complete') =>
    c.listOperationLogs({ jobId, offset: 0, limit: 10 });

  it('status 503 once, then success', async () => {
    simulator.inject(
      { kind: 'status', status: 503, errorCode: 'APIGW.0202', errorMsg: 'The API is unavailable' },
      { times: 1 },
    );
    const error = await upstreamError(completeJob());
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.details).toMatchObject({ status: 503, errorCode: 'APIGW.0202', errorMsg: 'The API is unavailable' });
    expect((await completeJob()).count).toBe(7);
  });

  it('429 with Retry-After on the raw response, UPSTREAM_THROTTLED through the client', async () => {
    simulator.inject({ kind: 'status', status: 429, errorCode: 'APIGW.0308', retryAfterSeconds: 7 }, { times: 2 });
    const raw = await rawGet(simulator);
    expect(raw.status).toBe(429);
    expect(raw.headers['retry-after']).toBe('7');
    expect(raw.body.error_code).toBe('APIGW.0308');
    const error = await upstreamError(completeJob());
    expect(error.code).toBe('UPSTREAM_THROTTLED');
    expect(error.details).toMatchObject({ status: 429, errorCode: 'APIGW.0308' });
  });

  it('non-JSON 200 → UPSTREAM_INVALID_RESPONSE', async () => {
    simulator.inject({ kind: 'non-json' });
    const error = await upstreamError(completeJob());
    expect(error.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(error.message).toMatch(/not JSON/);
    expect(error.details.status).toBe(200);
  });

  it('wrong shape → UPSTREAM_INVALID_RESPONSE naming the bad field', async () => {
    simulator.inject({ kind: 'wrong-shape' });
    const error = await upstreamError(completeJob());
    expect(error.code).toBe('UPSTREAM_INVALID_RESPONSE');
    expect(error.message).toMatch(/\bcount: /);
    expect(error.details.requestId).toBeTruthy();
  });

  it('connection reset → UPSTREAM_UNAVAILABLE, and the next call works', async () => {
    simulator.inject({ kind: 'reset' }, { times: 1 });
    const error = await upstreamError(completeJob());
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/network error/);
    expect((await completeJob()).count).toBe(7);
  });

  it('delay → a (slow) success', async () => {
    simulator.inject({ kind: 'delay', ms: 150 }, { times: 1 });
    expect((await completeJob()).count).toBe(7);
  });

  it('a delay far beyond the client timeout → UPSTREAM_UNAVAILABLE', async () => {
    // 10x margin either way, so a noisy machine cannot flip the outcome.
    simulator.inject({ kind: 'delay', ms: 3_000 }, { times: 1 });
    const error = await upstreamError(completeJob(extraClient({ timeoutMs: 300 })));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('hang → UPSTREAM_UNAVAILABLE after the client timeout', { timeout: 5_000 }, async () => {
    simulator.inject({ kind: 'hang' }, { times: 1 });
    const error = await upstreamError(completeJob(extraClient({ timeoutMs: 300 })));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/300 ms/);
  });

  it('`times` limits how many requests get the fault', async () => {
    simulator.inject({ kind: 'status', status: 500 }, { times: 2 });
    await upstreamError(completeJob());
    await upstreamError(completeJob());
    expect((await completeJob()).count).toBe(7);
  });

  it('without `times` the fault stays', async () => {
    simulator.inject({ kind: 'status', status: 500 });
    for (let i = 0; i < 3; i++) expect((await upstreamError(completeJob())).details.errorCode).toBe('MSS.00000001');
  });

  it('randomFaults faults that share of requests, each with one of the given faults', async () => {
    const chaotic = await startSimulator({
      randomFaults: {
        rate: 0.5,
        faults: [
          { kind: 'status', status: 502 },
          { kind: 'status', status: 504 },
        ],
      },
    });
    registerSecret(chaotic.credentials.secretKey);
    const chaoticClient = clientFor(chaotic, { breakerThreshold: 1000 });
    try {
      for (let i = 0; i < 60; i++) await completeJob(chaoticClient).catch(() => undefined);
      const statuses = chaotic.requests.map((r) => r.status);
      expect(new Set(statuses)).toEqual(new Set([200, 502, 504]));
      // 60 draws at one half: 30 expected, and outside 12-48 once in about 10^5 runs.
      const faulted = statuses.filter((status) => status !== 200).length;
      expect(faulted).toBeGreaterThan(12);
      expect(faulted).toBeLessThan(48);
    } finally {
      await chaoticClient.close();
      await chaotic.close();
    }
  });

  it('`jobId` scopes the fault to one job', async () => {
    simulator.inject({ kind: 'status', status: 500 }, { jobId: 'job-empty', times: 1 });
    expect((await completeJob()).count).toBe(7);
    expect((await upstreamError(completeJob(client, 'job-empty'))).details.status).toBe(500);
    expect((await completeJob(client, 'job-empty')).count).toBe(0);
  });

  it('faults are taken in injection order', async () => {
    simulator.inject({ kind: 'status', status: 503 }, { times: 1 });
    simulator.inject({ kind: 'status', status: 429 }, { times: 1 });
    expect((await upstreamError(completeJob())).details.status).toBe(503);
    expect((await upstreamError(completeJob())).details.status).toBe(429);
    expect((await completeJob()).count).toBe(7);
  });

  it('simulator.requests records each request in order', async () => {
    simulator.inject({ kind: 'status', status: 503 }, { times: 1 });
    await upstreamError(completeJob());
    await client.listOperationLogs({ jobId: 'job-long-history', offset: 100, limit: 50 });
    await upstreamError(completeJob(client, 'no-such-job'));
    expect(simulator.requests).toMatchObject([
      { jobId: 'job-complete', offset: '0', limit: '10', status: 503 },
      { jobId: 'job-long-history', offset: '100', limit: '50', status: 200 },
      { jobId: 'no-such-job', status: 404 },
    ]);
    const [first] = simulator.requests;
    expect(first?.path).toBe(
      `/v1/${simulator.projectId}/voice-training-manage/user/jobs/job-complete/op-logs?offset=0&limit=10`,
    );
    expect(first?.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=/);
    expect(first?.headers['x-project-id']).toBe(simulator.projectId);
  });

  // A delay falls through to the normal answer; it must still count as one request.
  it('records a delayed request once', async () => {
    simulator.inject({ kind: 'delay', ms: 10 }, { times: 1 });
    await completeJob();
    expect(simulator.requests).toHaveLength(1);
  });
});

describe('built-in fault jobs', () => {
  const cases: Array<[jobId: string, code: string, status: number | undefined, errorCode: string | undefined]> = [
    ['fault-400', 'UPSTREAM_BAD_REQUEST', 400, 'MSS.00000003'],
    ['fault-401', 'UPSTREAM_UNAUTHORIZED', 401, 'APIGW.0301'],
    ['fault-403', 'UPSTREAM_FORBIDDEN', 403, 'APIGW.0302'],
    ['fault-429', 'UPSTREAM_THROTTLED', 429, 'APIGW.0308'],
    ['fault-500', 'UPSTREAM_UNAVAILABLE', 500, 'MSS.00000001'],
    ['fault-503', 'UPSTREAM_UNAVAILABLE', 503, 'APIGW.0202'],
    ['fault-non-json', 'UPSTREAM_INVALID_RESPONSE', 200, undefined],
    ['fault-wrong-shape', 'UPSTREAM_INVALID_RESPONSE', 200, undefined],
    ['fault-reset', 'UPSTREAM_UNAVAILABLE', undefined, undefined],
  ];

  it.each(cases)('%s → %s', async (jobId, code, status, errorCode) => {
    const error = await upstreamError(client.listOperationLogs({ jobId, offset: 0, limit: 10 }));
    expect(error.code).toBe(code);
    expect(error.details.status).toBe(status);
    expect(error.details.errorCode).toBe(errorCode);
  });

  it('fault jobs fail every time, and an injected fault takes precedence', async () => {
    for (let i = 0; i < 2; i++) {
      expect(
        (await upstreamError(client.listOperationLogs({ jobId: 'fault-500', offset: 0, limit: 10 }))).details.status,
      ).toBe(500);
    }
    simulator.inject({ kind: 'status', status: 429 }, { jobId: 'fault-500', times: 1 });
    expect(
      (await upstreamError(client.listOperationLogs({ jobId: 'fault-500', offset: 0, limit: 10 }))).details.status,
    ).toBe(429);
  });

  it('fault-429 carries Retry-After', async () => {
    const raw = await rawGet(simulator, { jobId: 'fault-429' });
    expect(raw.status).toBe(429);
    expect(raw.headers['retry-after']).toBe('1');
  });

  it('fault-401 is an answer, not a signature failure: it does not count towards the AK lock', async () => {
    // Raw requests: our client's breaker would stop after 3 of these.
    for (let i = 0; i < 7; i++) expect((await rawGet(simulator, { jobId: 'fault-401' })).status).toBe(401);
    expect((await client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 10 })).count).toBe(7);
  });
});

describe('routing', () => {
  it.each(['user/jobs/job-complete/op-logs/1', 'user/jobs/job-complete/results', 'user/voices'])(
    'a path that is none of its routes (%s) → 404 APIGW.0101',
    async (rest) => {
      const response = await request(`${simulator.url}/v1/${simulator.projectId}/voice-training-manage/${rest}`);
      expect(response.statusCode).toBe(404);
      expect(((await response.body.json()) as { error_code: string }).error_code).toBe('APIGW.0101');
    },
  );
});
