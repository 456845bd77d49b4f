// Every bad argument is BAD_USER_INPUT, names the argument, and costs no upstream call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/schema/cursor.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.simulator.reset());

async function expectBadInput(query: string, variables: Record<string, unknown>, messagePart: RegExp | string) {
  const result = await h.query(query, variables);
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  expect(result.errors![0]!.message).toMatch(messagePart);
  expect(h.simulator.requests).toHaveLength(0);
}

const operations = (args: string) => `{ trainingJob(jobId: "job-complete") { operations(${args}) { totalCount } } }`;

describe('window arguments', () => {
  it.each([
    ['limit: 0', /limit must be between 1 and 100/],
    ['limit: 101', /limit must be between 1 and 100/],
    ['limit: -5', /limit/],
    ['offset: -1', /offset must be between 0 and 2147483647/],
    ['first: 0', /first must be between 1 and 100/],
    ['first: 101', /first must be between 1 and 100/],
    ['offset: 2147483648', /32-bit/],
    ['limit: 1.5', /non-integer/],
    ['offset: 0, first: 5', /either offset\/limit or first\/after/],
    [`limit: 5, after: "${encodeCursor(1)}"`, /either offset\/limit or first\/after/],
    ['after: "not-a-cursor"', /after is not a cursor issued by this server/],
    ['after: ""', /after is not a cursor/],
    // Well-formed base64 of things this server never issues.
    [`after: "${Buffer.from('oplog:01').toString('base64url')}"`, /after is not a cursor/],
    [`after: "${Buffer.from('oplog:-1').toString('base64url')}"`, /after is not a cursor/],
    [`after: "${Buffer.from('cursor:3').toString('base64url')}"`, /after is not a cursor/],
    [`after: "${Buffer.from('oplog:3').toString('base64')}="`, /after is not a cursor/],
    // No position exists after the last offset the upstream accepts.
    [`after: "${encodeCursor(2147483647)}"`, /after is not a cursor/],
  ])('refuses %s', async (args, message) => {
    await expectBadInput(operations(args), {}, message);
  });

  it('refuses out-of-range values passed as variables', async () => {
    const query = `query($o: Int, $l: Int) { trainingJob(jobId: "job-complete") { operations(offset: $o, limit: $l) { totalCount } } }`;
    await expectBadInput(query, { o: 0, l: 500 }, /limit must be between 1 and 100 \(got 500\)/);
    await expectBadInput(query, { o: 2 ** 31, l: 10 }, /Variable "\$o" got invalid value/);
    await expectBadInput(query, { o: '3', l: 10 }, /Variable "\$o"/);
  });

  it('names the argument in extensions', async () => {
    const result = await h.query(operations('limit: 0'));
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'limit' });
    expect(result.errors![0]!.path).toEqual(['trainingJob', 'operations']);
  });
});

describe('job ids', () => {
  const single = `query($id: ID!) { trainingJob(jobId: $id) { operations { totalCount } } }`;
  it.each([
    ['empty', '', /must not be empty/],
    ['longer than 128 characters', 'j'.repeat(129), /at most 128 characters/],
    ['with a slash', 'job/../../other', /must not contain "\/"/],
    ['with a newline', 'job\n1', /control characters/],
    ['with NUL', 'job\u00001', /control characters/],
    ['with DEL', 'job\u007f', /control characters/],
    ['with a C1 control', 'job\u0085', /control characters/],
    ['with a lone surrogate', 'job\ud800x', /valid Unicode/],
    ['only spaces', '   ', /only whitespace/],
    ['only Unicode whitespace', '\u00a0\u3000\u2003', /only whitespace/],
    ['with a right-to-left override', 'job\u202egnp.exe', /bidirectional control/],
    ['with a left-to-right embedding', '\u202ajob', /bidirectional control/],
    ['with a first-strong isolate', 'job\u2068x\u2069', /bidirectional control/],
    ['"."', '.', /must not be "\." or "\.\."/],
    ['".."', '..', /must not be "\." or "\.\."/],
  ])('refuses one that is %s', async (_name, id, message) => {
    await expectBadInput(single, { id }, message);
  });

  it('accepts 128 characters and odd but harmless ones', async () => {
    const result = await h.query<{ a: { jobId: string }; b: { jobId: string } }>(
      `query($a: ID!, $b: ID!) { a: trainingJob(jobId: $a) { jobId operations { totalCount } } b: trainingJob(jobId: $b) { jobId operations { totalCount } } }`,
      { a: 'j'.repeat(128), b: 'voix é 训练 %2F +?#&' },
    );
    // Unknown to the simulator (404), but they reached it as one path segment each, intact.
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_NOT_FOUND', 'UPSTREAM_NOT_FOUND']);
    expect(h.simulator.requests.map((r) => r.jobId).sort()).toEqual(['j'.repeat(128), 'voix é 训练 %2F +?#&'].sort());
    expect(result.data).toEqual({
      a: { jobId: 'j'.repeat(128), operations: null },
      b: { jobId: 'voix é 训练 %2F +?#&', operations: null },
    });
  });

  it('refuses a bad id inside trainingJobs, naming its position', async () => {
    await expectBadInput(
      `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { operations { totalCount } } }`,
      { ids: ['job-complete', 'a/b'] },
      /jobIds\[1\] must not contain "\/"/,
    );
  });

  it('takes at most 100 ids in trainingJobs', async () => {
    const query = `query($ids: [ID!]!) { trainingJobs(jobIds: $ids) { jobId operations { totalCount } } }`;
    await expectBadInput(query, { ids: Array(101).fill('job-complete') }, /at most 100 ids \(got 101\)/);
    const ok = await h.query<{ trainingJobs: unknown[] }>(query, { ids: Array(100).fill('job-complete') });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.trainingJobs).toHaveLength(100);
  });
});
