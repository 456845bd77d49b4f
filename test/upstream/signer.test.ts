import { createRequire } from 'node:module';
import { describe, it, expect } from 'vitest';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  percentEncode,
  sha256Hex,
  signRequest,
  type RequestToSign,
} from '../../src/upstream/signer.js';
import { TEST_SECRETS } from '../support/secrets.js';

// --- The official signer, used as an oracle (devDependency, CommonJS) ---------

interface SdkRequest {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  queryParams: Record<string, string | number>;
}
interface SdkCredential {
  getAk(): string;
  getSk(): string;
}
interface SdkSigner {
  sign(request: SdkRequest, credential: SdkCredential): Record<string, string>;
  /** Takes a raw path string and encodes each `/`-separated segment. */
  CanonicalURI(path: string): string;
  urlEncode(value: string): string;
}

const { AKSKSigner } = createRequire(import.meta.url)('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: SdkSigner;
};

// --- The published vectors (docs/upstream.md) ---------------------

const AK = 'AKTESTEXAMPLE0000000';
const SK = TEST_SECRETS.vectorSk;
const PROJECT = '0123456789abcdef0123456789abcdef';
const HOST = 'metastudio.cn-north-4.myhuaweicloud.com';
const DATE = '20261121T080000Z';

const opLogSegments = (projectId: string, jobId: string) => [
  'v1',
  projectId,
  'voice-training-manage',
  'user',
  'jobs',
  jobId,
  'op-logs',
];

function vectorRequest(query: Record<string, string>, extraHeaders: Record<string, string> = {}): RequestToSign {
  return {
    method: 'GET',
    host: HOST,
    pathSegments: opLogSegments(PROJECT, 'job-1'),
    query,
    headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT, ...extraHeaders },
    sdkDate: DATE,
  };
}

describe('published signing vectors', () => {
  it('vector 1: canonical request, its hash and the Authorization header', () => {
    const request = vectorRequest({ offset: '0', limit: '10' });
    const { text, signedHeaders } = canonicalRequest(request);
    expect(text).toBe(
      'GET\n/v1/0123456789abcdef0123456789abcdef/voice-training-manage/user/jobs/job-1/op-logs/\nlimit=10&offset=0\ncontent-type:application/json\nhost:metastudio.cn-north-4.myhuaweicloud.com\nx-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20261121T080000Z\n\ncontent-type;host;x-project-id;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(signedHeaders).toBe('content-type;host;x-project-id;x-sdk-date');
    expect(sha256Hex(text)).toBe('fff2ee23b97dea92c027cea7412e82b1682c052a398090fea71ccb13488b0bcb');

    const headers = signRequest(request, { accessKey: AK, secretKey: SK });
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=18de8612b432b6facb6954baa3886d970f056f514ed47ab4ee8632f059e709b9',
    );
    expect(headers['X-Sdk-Date']).toBe(DATE);
    expect(headers.Host).toBe(HOST);
    expect(headers).not.toHaveProperty('X-Security-Token');
  });

  it('vector 2: security token is sent and signed', () => {
    const query = { limit: '100', offset: '20' };
    const headers = signRequest(vectorRequest(query), {
      accessKey: AK,
      secretKey: SK,
      securityToken: 'TESTSECURITYTOKEN',
    });
    expect(headers['X-Security-Token']).toBe('TESTSECURITYTOKEN');
    expect(headers.Authorization).toBe(
      'SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=717cb10daefff6bb5fd9599bc1176230a97e7283f0b500982d0ac6abd61b988c',
    );

    const { text } = canonicalRequest(vectorRequest(query, { 'X-Security-Token': 'TESTSECURITYTOKEN' }));
    expect(sha256Hex(text)).toBe('1d5ddfedd3896a4bc7774ef5b8175a731e220cf1f37cb68a1bc19f37aa73f3b2');
  });

  it('canonical headers carry trimmed values, as upstream.md specifies', () => {
    // The Node SDK does not trim, so the oracle cannot check this; the docs say trimmed.
    const { text } = canonicalRequest(vectorRequest({}, { 'X-Project-Id': `  ${PROJECT} ` }));
    expect(text).toContain(`\nx-project-id:${PROJECT}\n`);
  });

  it('the oracle reproduces vector 1 as well (so the oracle is wired up right)', () => {
    const headers = AKSKSigner.sign(
      {
        method: 'GET',
        endpoint: `https://${HOST}/v1/${PROJECT}/voice-training-manage/user/jobs/job-1/op-logs`,
        headers: { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT, 'X-Sdk-Date': DATE },
        queryParams: { offset: 0, limit: 10 },
      },
      { getAk: () => AK, getSk: () => SK },
    );
    expect(headers.Authorization).toContain(
      'Signature=18de8612b432b6facb6954baa3886d970f056f514ed47ab4ee8632f059e709b9',
    );
  });
});

describe('formatSdkDate', () => {
  it('is UTC YYYYMMDDTHHMMSSZ, milliseconds dropped', () => {
    expect(formatSdkDate(new Date(Date.UTC(2026, 10, 21, 8, 0, 0, 789)))).toBe('20261121T080000Z');
    expect(formatSdkDate(new Date(Date.UTC(2001, 0, 2, 3, 4, 5)))).toBe('20010102T030405Z');
    expect(formatSdkDate(new Date(Date.UTC(2099, 11, 31, 23, 59, 59, 999)))).toBe('20991231T235959Z');
  });
});

describe('percentEncode', () => {
  it('leaves unreserved characters alone', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~';
    expect(percentEncode(unreserved)).toBe(unreserved);
  });

  it("encodes ! ' ( ) * (which encodeURIComponent leaves), space, %, + and reserved characters", () => {
    expect(percentEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(percentEncode(' ')).toBe('%20');
    expect(percentEncode('%')).toBe('%25');
    expect(percentEncode('+')).toBe('%2B');
    expect(percentEncode('/?#&=:@')).toBe('%2F%3F%23%26%3D%3A%40');
  });

  it('encodes non-ASCII as uppercase UTF-8, surrogate pairs as one code point', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('训练')).toBe('%E8%AE%AD%E7%BB%83');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
    expect(percentEncode('job-é 1')).toBe('job-%C3%A9%201');
  });

  it('agrees with the SDK encoder on every ASCII character and some non-ASCII', () => {
    const samples = [
      ...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)),
      'é',
      'ß',
      'Ω',
      '训',
      '😀',
      '\u00a0',
    ];
    for (const s of samples) expect(percentEncode(s), JSON.stringify(s)).toBe(AKSKSigner.urlEncode(s));
  });
});

// --- Differential test against the official signer ---------------------------

/** mulberry32: tiny seeded PRNG, so every run checks the same requests. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const string = (alphabet: readonly string[], min: number, max: number) =>
    Array.from({ length: int(min, max) }, () => pick(alphabet)).join('');
  return { random, int, pick, string };
}

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
// The SDK takes the path from legacy url.parse(endpoint).pathname, which escapes
// space, quotes, <, >, ^, `, {, |, }, tab/newline and turns \ into /. Job ids in
// the path are therefore drawn only from characters url.parse passes through
// untouched (checked: %, @ and non-ASCII included), so the SDK signs the same
// raw id we do. The escaped characters are covered by the CanonicalURI test below.
const JOB_ID_ALPHABET = [...ALNUM, ...'-_.~:@!$&()*+,;=%', 'é', 'ß', 'Ω', '训', '练', '😀', '🎙️'];
// Query parameters go to the SDK as an object and never pass through url.parse,
// so their names and values may use any character.
const QUERY_ALPHABET = [...ALNUM, ...' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'é', '训', '😀'];
const EXTRA_PARAMS = ['marker', 'a', 'Z', 'state', 'create_since', '1', '10', '2', '_x', '~y', 'A-b', 'offset2'];
const HOSTS = [
  'metastudio.cn-north-4.myhuaweicloud.com',
  'metastudio.cn-east-3.myhuaweicloud.com',
  'metastudio.ap-southeast-3.myhuaweicloud.com',
  '127.0.0.1:9000',
];
const MIN_DATE = Date.UTC(2000, 0, 1);
const MAX_DATE = Date.UTC(2099, 11, 31, 23, 59, 59);

interface Case {
  host: string;
  projectId: string;
  jobId: string;
  query: Record<string, string>;
  sdkDate: string;
  accessKey: string;
  secretKey: string;
  securityToken: string | undefined;
}

function generateCases(seed: number, count: number): Case[] {
  const g = generator(seed);
  return Array.from({ length: count }, (): Case => {
    const query: Record<string, string> = {
      offset: String(g.random() < 0.5 ? g.int(0, 1000) : g.int(0, 2147483647)),
      limit: String(g.int(1, 100)),
    };
    for (const name of EXTRA_PARAMS) if (g.random() < 0.25) query[name] = g.string(QUERY_ALPHABET, 0, 12);
    // Insertion order is what a caller controls; both signers must sort it away.
    const entries = Object.entries(query);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = g.int(0, i);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return {
      host: g.pick(HOSTS),
      projectId: g.random() < 0.7 ? g.string([...'0123456789abcdef'], 32, 32) : g.string([...ALNUM, '-', '_'], 1, 64),
      jobId: g.string(JOB_ID_ALPHABET, 1, 40),
      query: Object.fromEntries(entries),
      sdkDate: formatSdkDate(new Date(g.int(MIN_DATE, MAX_DATE))),
      accessKey: g.string(ALNUM, 20, 20),
      secretKey: g.string(ALNUM, 40, 40),
      securityToken: g.random() < 0.5 ? g.string([...ALNUM, '+', '/', '='], 16, 64) : undefined,
    };
  });
}

function oracleAuthorization(c: Case): string {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-Project-Id': c.projectId,
    'X-Sdk-Date': c.sdkDate,
  };
  if (c.securityToken) headers['X-Security-Token'] = c.securityToken;
  // offset/limit as numbers, as generated SDK code passes them; the SDK stringifies.
  const queryParams: Record<string, string | number> = {
    ...c.query,
    offset: Number(c.query.offset),
    limit: Number(c.query.limit),
  };
  const signed = AKSKSigner.sign(
    {
      method: 'GET',
      // The RAW job id: the SDK encodes each path segment itself.
      endpoint: `https://${c.host}/v1/${c.projectId}/voice-training-manage/user/jobs/${c.jobId}/op-logs`,
      headers,
      queryParams,
    },
    { getAk: () => c.accessKey, getSk: () => c.secretKey },
  );
  return signed.Authorization!;
}

function ourAuthorization(c: Case): string {
  return signRequest(
    {
      method: 'GET',
      host: c.host,
      pathSegments: opLogSegments(c.projectId, c.jobId),
      query: c.query,
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': c.projectId },
      sdkDate: c.sdkDate,
    },
    { accessKey: c.accessKey, secretKey: c.secretKey, securityToken: c.securityToken },
  ).Authorization!;
}

describe('signRequest matches the official Node SDK signer', () => {
  const cases = generateCases(0x5eed1234, 400);

  it('the generated cases exercise what they are meant to', () => {
    // Guards against a generator bug quietly turning the comparison into a trivial one.
    expect(cases.filter((c) => c.securityToken).length).toBeGreaterThan(100);
    expect(cases.filter((c) => c.securityToken === undefined).length).toBeGreaterThan(100);
    expect(cases.filter((c) => /\P{ASCII}/u.test(c.jobId)).length).toBeGreaterThan(100);
    expect(cases.filter((c) => /[%+@:!*'()]/.test(c.jobId)).length).toBeGreaterThan(100);
    expect(cases.filter((c) => Object.keys(c.query).length > 3).length).toBeGreaterThan(50);
    expect(new Set(cases.map((c) => c.sdkDate)).size).toBe(cases.length);
  });

  it('gives the same Authorization header for every generated request', () => {
    for (const [i, c] of cases.entries()) {
      expect(ourAuthorization(c), `case ${i}: ${JSON.stringify(c)}`).toBe(oracleAuthorization(c));
    }
  });

  it('a one-character change in the job id changes the signature (the comparison is not vacuous)', () => {
    const c = cases[0]!;
    expect(ourAuthorization({ ...c, jobId: `${c.jobId}x` })).not.toBe(oracleAuthorization(c));
  });

  it('sorts query parameters by raw name in code-unit order, like the SDK', () => {
    expect(canonicalQuery({ state: 's', a: '1', Z: '2', 10: 'x', 2: 'y', 1: 'z', marker: 'm n' })).toBe(
      '1=z&10=x&2=y&Z=2&a=1&marker=m%20n&state=s',
    );
  });
});

describe('canonicalUri matches the SDK CanonicalURI for characters url.parse would rewrite', () => {
  const awkward = [
    'job with spaces',
    'say "hi"',
    "it's",
    '<tag>',
    'back\\slash',
    'caret^',
    'tick`',
    '{brace}',
    'pipe|',
    'tab\there',
    'new\nline',
    '100%',
    'a+b',
    '?query#frag',
    'é训练😀',
  ];

  it.each(awkward)('%j', (jobId) => {
    const segments = opLogSegments(PROJECT, jobId);
    expect(canonicalUri(segments)).toBe(AKSKSigner.CanonicalURI(`/${segments.join('/')}`));
  });

  it('for random ids over all printable ASCII (but /) and some non-ASCII', () => {
    const g = generator(42);
    const alphabet = [
      ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => c !== '/'),
      '\t',
      '\n',
      'é',
      '训',
      '😀',
    ];
    for (let i = 0; i < 200; i++) {
      const segments = opLogSegments(g.string(ALNUM, 1, 64), g.string(alphabet, 1, 40));
      expect(canonicalUri(segments), JSON.stringify(segments)).toBe(AKSKSigner.CanonicalURI(`/${segments.join('/')}`));
    }
  });
});
