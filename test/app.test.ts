// The HTTP face: GraphQL over HTTP conformance (graphql-http's audit), the health
// check, 404s, and masking of unexpected errors.
import { auditServer, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { MetaStudioClient } from '../src/upstream/client.js';
import { startHarness, type Harness } from './support/harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness?.close();
});

function describeFailures(results: AuditResult[]): string {
  return results.map((r) => `- ${r.name}${r.status === 'ok' ? '' : `: ${r.reason}`}`).join('\n');
}

describe('GraphQL over HTTP', () => {
  it('passes every MUST of the graphql-http audit', async () => {
    const results = await auditServer({
      url: 'http://localhost/graphql',
      // No port: the audit talks to yoga's fetch handler directly.
      fetchFn: harness.app.fetch.bind(harness.app),
    });

    const musts = results.filter((r) => r.name.startsWith('MUST'));
    const shoulds = results.filter((r) => r.name.startsWith('SHOULD'));
    // Guards against a vacuous pass if the audit ever returned nothing.
    expect(musts.length).toBeGreaterThan(0);

    const failedShoulds = shoulds.filter((r) => r.status !== 'ok');
    // SHOULDs are recommendations: reported, not enforced.
    console.info(
      `graphql-http audit: ${musts.length - musts.filter((r) => r.status !== 'ok').length}/${musts.length} MUST ok, ` +
        `${shoulds.length - failedShoulds.length}/${shoulds.length} SHOULD ok` +
        (failedShoulds.length ? `\nSHOULDs not met:\n${describeFailures(failedShoulds)}` : ''),
    );

    const failedMusts = musts.filter((r) => r.status !== 'ok');
    expect(failedMusts, `MUSTs not met:\n${describeFailures(failedMusts)}`).toEqual([]);
  });
});

describe('routes', () => {
  it('answers GET /healthz with 200', async () => {
    const response = await harness.app.fetch('http://localhost/healthz');
    expect(response.status).toBe(200);
  });

  it('answers an unknown path with 404', async () => {
    const response = await harness.app.fetch('http://localhost/no-such-path');
    expect(response.status).toBe(404);
  });
});

describe('error masking', () => {
  it('hides the message and stack of an unexpected error', async () => {
    // A client failing the way a bug would: a plain Error, not an UpstreamError.
    const client = {
      projectId: 'project-x',
      listOperationLogs(): never {
        throw new Error('secret internals /etc/passwd');
      },
      close: async () => {},
    } as unknown as MetaStudioClient;
    const app = createApp({ client });

    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: '{ trainingJob(jobId:"x"){ operations { totalCount } } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { errors?: { message: string }[] };

    expect(body.errors?.[0]?.message).toBe('Unexpected error.');
    expect(text).not.toContain('secret internals');
    expect(text).not.toContain('stack');
  });
});
