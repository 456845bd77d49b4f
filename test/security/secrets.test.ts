// Secret hygiene: the SK, the security token, the JWT secret and callers' tokens
// and keys appear in no log line (at trace level, the most verbose), no error
// and no answer, through a workload that succeeds, fails and is refused.
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { DEFAULT_SECURITY, type SecurityOptions } from '../../src/security/policy.js';
import { createApp } from '../../src/app.js';
import { startSimulator, type Simulator } from '../../src/simulator/simulator.js';
import { MetaStudioClient } from '../../src/upstream/client.js';
import { TEST_SECRETS } from '../support/secrets.js';

const {
  upstreamSk: SK,
  securityToken: SECURITY_TOKEN,
  jwtSecret: JWT_SECRET,
  apiKey: API_KEY,
  wrongApiKey: WRONG_KEY,
} = TEST_SECRETS;

const lines: string[] = [];
const answers: string[] = [];
const simulators: Simulator[] = [];
afterAll(async () => {
  for (const simulator of simulators) await simulator.close();
});

async function appWith(auth: SecurityOptions['auth']) {
  const credentials = { accessKey: 'AK-test', secretKey: SK, securityToken: SECURITY_TOKEN };
  const simulator = await startSimulator({ credentials });
  simulators.push(simulator);
  const client = new MetaStudioClient({
    endpoint: simulator.url,
    projectId: simulator.projectId,
    credentials,
    timeoutMs: 2_000,
    concurrency: 4,
  });
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => lines.push(line) } });
  // The configuration itself, as someone debugging might log it.
  logger.debug({ upstream: { credentials }, security: { auth } }, 'configuration');
  return { simulator, app: createApp({ client, logger, security: { ...DEFAULT_SECURITY, auth } }) };
}

async function send(app: ReturnType<typeof createApp>, query: string, headers: Record<string, string>) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
}

const WORKLOAD = [
  '{ trainingJob(jobId: "job-complete") { operations { totalCount nodes { action } } } }',
  '{ trainingJobs(jobIds: ["fault-401", "fault-403", "fault-500", "fault-non-json", "fault-reset", "fault-wrong-shape"]) { operations { totalCount } } }',
  '{ trainingJob(jobId: "../x") { operations { totalCount } } }',
  '{ nope }',
  '{',
];

describe('secret hygiene', () => {
  it('keeps every secret out of logs, errors and answers', async () => {
    const jwt = await appWith({ mode: 'jwt', secret: JWT_SECRET });
    const good = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(`${JWT_SECRET}-other`));
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(1)
      .sign(new TextEncoder().encode(JWT_SECRET));
    for (const query of WORKLOAD) {
      for (const token of [good, forged, expired, `${good}x`])
        await send(jwt.app, query, { authorization: `Bearer ${token}` });
    }
    // The upstream rejecting our signature, as it would after an SK rotation.
    jwt.simulator.inject({
      kind: 'status',
      status: 401,
      errorCode: 'APIGW.0301',
      errorMsg: 'verify aksk signature fail',
    });
    await send(jwt.app, WORKLOAD[0]!, { authorization: `Bearer ${good}` });

    const apikey = await appWith({ mode: 'apikey', keyDigests: [createHash('sha256').update(API_KEY).digest('hex')] });
    for (const query of WORKLOAD) {
      for (const key of [API_KEY, WRONG_KEY]) await send(apikey.app, query, { 'x-api-key': key });
    }

    expect(jwt.simulator.requests.length + apikey.simulator.requests.length).toBeGreaterThan(10);
    expect(lines.length).toBeGreaterThan(0);
    const logs = lines.join('\n');
    const sent = answers.join('\n');
    for (const secret of [SK, SECURITY_TOKEN, JWT_SECRET, API_KEY, WRONG_KEY, good, forged, expired]) {
      expect(logs.includes(secret), `a log line contains ${secret.slice(0, 12)}…`).toBe(false);
      expect(sent.includes(secret), `an answer contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
