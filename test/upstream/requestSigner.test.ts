// The request signer puts most of each request together in advance; what it
// sends must be byte for byte what the general signer (signRequest, checked
// against the SDK in signer.test.ts) gives for the same request.
import { describe, expect, it } from 'vitest';
import { jobAuditResult } from '../../src/upstream/jobAuditResult.js';
import { opLogs, type OpLogWindow } from '../../src/upstream/opLogs.js';
import { requestSigner, type SigningTarget } from '../../src/upstream/requestSigner.js';
import { encodePath, formatSdkDate, signRequest } from '../../src/upstream/signer.js';
import { voiceTrainingJob } from '../../src/upstream/voiceTrainingJob.js';
import { voiceTrainingJobs } from '../../src/upstream/voiceTrainingJobs.js';
import { TEST_SECRETS } from '../support/secrets.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const HOST = 'metastudio.cn-north-4.myhuaweicloud.com';
const DATE = new Date(Date.UTC(2026, 10, 21, 8, 0, 0));

/** The request as the general signer builds it. */
function general(
  target: SigningTarget,
  { jobId, offset, limit }: { jobId: string; offset: number; limit: number },
  date: Date,
) {
  const pathSegments = [
    ...target.basePath,
    'v1',
    target.projectId,
    'voice-training-manage',
    'user',
    'jobs',
    jobId,
    'op-logs',
  ];
  const query = { offset: String(offset), limit: String(limit) };
  const { Host: _host, ...headers } = signRequest(
    {
      method: 'GET',
      host: target.host,
      pathSegments,
      query,
      headers: { 'Content-Type': 'application/json', 'X-Project-Id': target.projectId },
      sdkDate: formatSdkDate(date),
    },
    target.credentials,
  );
  return { path: `${encodePath(pathSegments)}?${new URLSearchParams(query).toString()}`, headers };
}

/** The op-logs request of `window`, signed by requestSigner. */
const opLogsSigner = (target: SigningTarget) => {
  const sign = requestSigner(target);
  return (window: OpLogWindow, date: Date) => sign(opLogs.request(window), date);
};

describe('requestSigner', () => {
  it('reproduces the published vectors', () => {
    const plain = opLogsSigner({
      host: HOST,
      basePath: [],
      projectId: PROJECT,
      credentials: { accessKey: 'AKTESTEXAMPLE0000000', secretKey: TEST_SECRETS.vectorSk },
    });
    expect(plain({ jobId: 'job-1', offset: 0, limit: 10 }, DATE)).toEqual({
      path: `/v1/${PROJECT}/voice-training-manage/user/jobs/job-1/op-logs?offset=0&limit=10`,
      headers: {
        'Content-Type': 'application/json',
        'X-Project-Id': PROJECT,
        'X-Sdk-Date': '20261121T080000Z',
        Authorization:
          'SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=18de8612b432b6facb6954baa3886d970f056f514ed47ab4ee8632f059e709b9',
      },
    });
    const withToken = opLogsSigner({
      host: HOST,
      basePath: [],
      projectId: PROJECT,
      credentials: {
        accessKey: 'AKTESTEXAMPLE0000000',
        secretKey: TEST_SECRETS.vectorSk,
        securityToken: 'TESTSECURITYTOKEN',
      },
    });
    expect(withToken({ jobId: 'job-1', offset: 20, limit: 100 }, DATE).headers).toMatchObject({
      'X-Security-Token': 'TESTSECURITYTOKEN',
      Authorization:
        'SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000000, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=717cb10daefff6bb5fd9599bc1176230a97e7283f0b500982d0ac6abd61b988c',
    });
  });

  it('sends what the general signer gives, for awkward ids, base paths, tokens and dates', () => {
    const targets: SigningTarget[] = [
      {
        host: HOST,
        basePath: [],
        projectId: PROJECT,
        credentials: { accessKey: 'AK1', secretKey: TEST_SECRETS.vectorSk },
      },
      {
        host: '127.0.0.1:9000',
        basePath: ['gw', 'meta studio'],
        projectId: ' p-1 ',
        credentials: { accessKey: 'AK2', secretKey: TEST_SECRETS.vectorSk, securityToken: ' tok ' },
      },
    ];
    const ids = ['job-1', 'a b', "it's(*)!", 'é训😀', '%2F', '~._-', 'x'.repeat(128), '🎙️', 'a+b=c&d'];
    let compared = 0;
    for (const target of targets) {
      const sign = opLogsSigner(target);
      for (const [i, jobId] of ids.entries()) {
        // Dates in one second and across seconds, so the cached date is checked both ways.
        for (const ms of [0, 999, 1000, 86_400_000 * i + 1]) {
          const date = new Date(DATE.getTime() + ms);
          const window = { jobId, offset: i * 37, limit: 1 + i };
          expect(sign(window, date)).toEqual(general(target, window, date));
          compared++;
        }
      }
    }
    expect(compared).toBe(72);
  });

  it('throws for a job id with no UTF-8 form, as the general signer does', () => {
    const sign = opLogsSigner({
      host: HOST,
      basePath: [],
      projectId: PROJECT,
      credentials: { accessKey: 'AK', secretKey: TEST_SECRETS.vectorSk },
    });
    expect(() => sign({ jobId: 'a\ud800', offset: 0, limit: 1 }, DATE)).toThrow(URIError);
  });
});

describe('requestSigner, for every operation', () => {
  const target: SigningTarget = {
    host: HOST,
    basePath: [],
    projectId: PROJECT,
    credentials: { accessKey: 'AK', secretKey: TEST_SECRETS.vectorSk, securityToken: 'tok' },
  };
  const sign = requestSigner(target);
  const jobs = ['v1', PROJECT, 'voice-training-manage', 'user', 'jobs'];

  /** What the general signer gives for the same request. */
  const expected = (segments: string[], query: Record<string, string>, appUserId?: string) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': PROJECT };
    if (appUserId !== undefined) headers['X-App-UserId'] = appUserId;
    const { Host: _host, ...signed } = signRequest(
      { method: 'GET', host: HOST, pathSegments: segments, query, headers, sdkDate: formatSdkDate(DATE) },
      target.credentials,
    );
    return signed;
  };

  it('signs a filtered list page with X-App-UserId as the general signer does', () => {
    const query = {
      offset: 20,
      limit: 10,
      states: ['FAILED', 'WAITING'],
      voiceName: 'Ann & Bo',
      createdSince: Date.UTC(2026, 9, 1, 8, 0, 0, 700),
      onDemand: false,
      sortKey: 'update_time' as const,
      sortDir: 'asc' as const,
      appUserId: 'user-alice',
    };
    const { path, headers } = sign(voiceTrainingJobs.request(query), DATE);
    expect(headers).toEqual(
      expected(
        jobs,
        {
          offset: '20',
          limit: '10',
          state: 'FAILED,WAITING',
          voice_name: 'Ann & Bo',
          create_since: '2026-10-01T08:00:00Z',
          is_ondemand_resource: 'false',
          sort_key: 'update_time',
          sort_dir: 'asc',
        },
        'user-alice',
      ),
    );
    expect(headers.Authorization).toContain('SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date;');
    expect(path).toBe(
      `/${jobs.join('/')}?create_since=2026-10-01T08%3A00%3A00Z&is_ondemand_resource=false&limit=10&offset=20&sort_dir=asc&sort_key=update_time&state=FAILED%2CWAITING&voice_name=Ann%20%26%20Bo`,
    );
  });

  it('signs details with and without X-App-UserId, and the audit result', () => {
    expect(sign(voiceTrainingJob.request({ jobId: 'a b' }), DATE).headers).toEqual(expected([...jobs, 'a b'], {}));
    expect(sign(voiceTrainingJob.request({ jobId: 'j', appUserId: 'u-1' }), DATE).headers).toEqual(
      expected([...jobs, 'j'], {}, 'u-1'),
    );
    const audit = sign(jobAuditResult.request({ jobId: 'j' }), DATE);
    expect(audit.headers).toEqual(expected([...jobs, 'j', 'audit-result'], {}));
    expect(audit.path).toBe(`/${jobs.join('/')}/j/audit-result`);
  });
});
