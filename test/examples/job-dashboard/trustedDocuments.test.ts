// Trusted documents: a production server started with the dashboard's
// codegen manifest answers the dashboard's operations, the subscription over
// SSE included, asked for by hash, and refuses every other document.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM, skipBrowser } from '../../support/chromium.js';
import { killAll } from '../../support/processes.js';
import {
  expectJobsShown,
  LIVE_JOB,
  offLoopback,
  openBrowser,
  recordLiveJob,
  serveDashboard,
  startServer,
} from '../../support/jobDashboard.js';
import { freePort } from '../../../scripts/redisServer.js';

afterEach(killAll);

const MANIFEST = 'examples/job-dashboard/src/gql/persisted-documents.json';
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;

/** The manifest's hash of the document that holds operation `name`. */
function hashOf(name: string): string {
  const entry = Object.entries(manifest).find(([, document]) =>
    parse(document).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name),
  );
  expect(entry, `no document in ${MANIFEST} has operation ${name}`).toBeDefined();
  return entry![0];
}

const production = (extra: Record<string, string> = {}) =>
  startServer({ NODE_ENV: 'production', PERSISTED_OPERATIONS_FILE: MANIFEST, SUBSCRIPTION_POLL_MS: '100', ...extra });

interface Answer<T = unknown> {
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } }>;
}

function post(url: string, body: object, accept = 'application/graphql-response+json'): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
}

const byHash = (name: string, variables: object) => ({
  operationName: name,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(name) } },
});

/** The first `next` event of a GraphQL-over-SSE answer, then the stream is let go. */
async function firstEvent<T>(response: Response): Promise<Answer<T>> {
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  for (;;) {
    const match = /event: next\ndata: (.*)\n\n/.exec(text);
    if (match) {
      await reader.cancel();
      return JSON.parse(match[1]!) as Answer<T>;
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`the stream ended without an event: ${text}`);
    text += value;
  }
}

const codes = (answer: Answer) => answer.errors?.map((e) => e.extensions?.code);

/** Upstream calls the server has made, from its /metrics. */
async function upstreamCalls(graphqlUrl: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  return [...text.matchAll(/^metastudio_upstream_calls_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
}

describe('trusted documents', () => {
  it('the manifest holds the dashboard operations, each keyed by the bare SHA-256 hex of its document', () => {
    const names = Object.values(manifest).flatMap((document) =>
      parse(document).definitions.flatMap((d) =>
        d.kind === Kind.OPERATION_DEFINITION ? [`${d.operation} ${d.name?.value}`] : [],
      ),
    );
    expect(names.sort()).toEqual(['query JobList', 'query JobTimeline', 'query Jobs', 'subscription JobEvents']);
    for (const [hash, document] of Object.entries(manifest))
      expect(hash).toBe(createHash('sha256').update(document).digest('hex'));
  });

  it('a production server on the manifest answers the dashboard operations by hash and refuses any other document', async () => {
    const url = await production();

    // A page of the job list costs one upstream call, whatever the filter.
    let callsBefore = await upstreamCalls(url);
    const listPage = (await (
      await post(url, byHash('JobList', { filter: { states: ['AUDIT_FAILED', 'SUCCEED'] }, first: 10, after: null }))
    ).json()) as Answer<{ voiceTrainingJobs: { totalCount: number; nodes: Array<{ state: string }> } }>;
    expect(listPage.errors).toBeUndefined();
    expect(listPage.data?.voiceTrainingJobs.totalCount).toBeGreaterThan(1);
    for (const node of listPage.data!.voiceTrainingJobs.nodes)
      expect(['AUDIT_FAILED', 'SUCCEED']).toContain(node.state);
    expect((await upstreamCalls(url)) - callsBefore).toBe(1);

    // A job's page costs three upstream calls: its details, its audit result, and one log page
    // for the status, summary and first page.
    callsBefore = await upstreamCalls(url);
    const list = (await (
      await post(
        url,
        byHash('Jobs', { jobIds: ['job-complete', 'job-admin-rejected', 'job-algorithm-failed'], pageSize: 10 }),
      )
    ).json()) as Answer<{
      trainingJobs: Array<{ status: string }>;
    }>;
    expect(list.errors).toBeUndefined();
    expect(list.data?.trainingJobs.map((job) => job.status)).toEqual(['COMPLETED', 'REJECTED', 'REJECTED']);
    expect((await upstreamCalls(url)) - callsBefore).toBe(9);

    const jobs = (await (
      await post(url, byHash('Jobs', { jobIds: ['job-complete', 'fault-503'], pageSize: 10 }))
    ).json()) as Answer<{
      trainingJobs: unknown[];
    }>;
    expect(jobs.data?.trainingJobs[0]).toMatchObject({
      jobId: 'job-complete',
      status: 'COMPLETED',
      operations: { totalCount: 7 },
    });
    expect(jobs.errors?.length).toBeGreaterThan(0);
    for (const error of jobs.errors!)
      expect([error.path?.slice(0, 2), error.extensions?.code]).toEqual([['trainingJobs', 1], 'UPSTREAM_UNAVAILABLE']);

    const timeline = (await (
      await post(url, byHash('JobTimeline', { jobId: 'job-long-history', offset: 141, limit: 10 }))
    ).json()) as Answer<{
      trainingJob: { operations: { totalCount: number; offset: number; nodes: unknown[] } };
    }>;
    expect(timeline.errors).toBeUndefined();
    expect(timeline.data?.trainingJob.operations).toMatchObject({ totalCount: 151, offset: 141 });
    expect(timeline.data?.trainingJob.operations.nodes).toHaveLength(10);

    const event = await firstEvent<{ trainingJobEvents: { newOperations: unknown[] } }>(
      await post(url, byHash('JobEvents', { jobId: 'job-admin-rejected' }), 'text/event-stream'),
    );
    expect(event.errors).toBeUndefined();
    expect(event.data?.trainingJobEvents).toMatchObject({
      totalCount: 4,
      job: { jobId: 'job-admin-rejected', status: 'REJECTED', rejectedBy: 'ADMIN', state: 'AUDIT_FAILED' },
    });
    expect(event.data?.trainingJobEvents.newOperations).toHaveLength(4);

    // The dashboard's own documents as text are refused like any other: only hashes run.
    for (const document of [...Object.values(manifest), '{ __typename }']) {
      const response = await post(url, {
        query: document,
        variables: { jobId: 'job-complete', jobIds: ['job-complete'], pageSize: 1, offset: 0, limit: 1, first: 1 },
      });
      expect(response.status).toBe(400);
      expect(codes((await response.json()) as Answer)).toEqual(['PERSISTED_QUERY_ONLY']);
    }
    const subscriptionText = await post(
      url,
      { query: manifest[hashOf('JobEvents')], variables: { jobId: 'job-complete' } },
      'text/event-stream',
    );
    const refused = await subscriptionText.text();
    expect(refused).toContain('PERSISTED_QUERY_ONLY');
    expect(refused).not.toContain('trainingJobEvents');

    const unknown = createHash('sha256').update('{ __typename }').digest('hex');
    const notListed = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } });
    expect([notListed.status, codes((await notListed.json()) as Answer)]).toEqual([
      400,
      ['PERSISTED_QUERY_NOT_IN_LIST'],
    ]);
    const otherName = await post(url, {
      ...byHash('Jobs', { jobIds: ['job-complete'], pageSize: 1 }),
      operationName: 'JobTimeline',
    });
    expect([otherName.status, codes((await otherName.json()) as Answer)]).toEqual([
      400,
      ['PERSISTED_QUERY_OPERATION_NAME'],
    ]);
  });

  it.skipIf(skipBrowser)(
    `the dashboard built with TRUSTED_DOCUMENTS=true works against it, sending only hashes${skipBrowser ? ` (needs ${CHROMIUM})` : ''}`,
    { timeout: 180_000 },
    async () => {
      const port = await freePort();
      const url = await production({ CORS_ORIGINS: `http://127.0.0.1:${port}` });
      const dashboard = await serveDashboard({
        GRAPHQL_URL: url,
        TRUSTED_DOCUMENTS: 'true',
        DASHBOARD_PORT: String(port),
      });
      const { page, requests, problems } = await openBrowser();
      const bodies: Array<Record<string, unknown>> = [];
      page.on('request', (request) => {
        if (request.url() === url && request.method() === 'POST')
          bodies.push(JSON.parse(request.postData() ?? '{}') as Record<string, unknown>);
      });
      const liveStates = await recordLiveJob(page);

      await page.goto(
        `${dashboard}?jobs=job-complete,job-admin-rejected,job-algorithm-failed,job-long-history,fault-503,${LIVE_JOB}`,
      );
      await expectJobsShown(page, liveStates);

      // JobTimeline only for the long history: the other logs fit in the first page, which came with the list.
      expect(new Set(bodies.map((b) => b.operationName))).toEqual(new Set(['Jobs', 'JobTimeline', 'JobEvents']));
      expect(
        bodies.filter((b) => b.operationName === 'JobTimeline').map((b) => (b.variables as { jobId: string }).jobId),
      ).toEqual(['job-long-history']);
      for (const body of bodies) {
        expect(body).not.toHaveProperty('query');
        expect(body.extensions).toEqual({
          persistedQuery: { version: 1, sha256Hash: hashOf(body.operationName as string) },
        });
      }
      expect(offLoopback(requests), 'requests that left 127.0.0.1').toEqual([]);
      expect(problems, 'page errors and console errors or warnings').toEqual([]);
    },
  );
});
