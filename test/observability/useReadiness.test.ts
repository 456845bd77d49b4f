// /readyz: ready until the breaker opens or the upstream stops answering, and
// says which check fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Readiness, RECENT_CALL_MS, type ReadinessReport } from '../../src/observability/useReadiness.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { createApp } from '../../src/app.js';
import { upstreamEvents } from '../../src/upstream/events.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.app.dispose();
  await h.close();
});

async function readyz(): Promise<{ status: number; body: ReadinessReport }> {
  const response = await h.app.fetch('http://localhost/readyz');
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

describe('/readyz', () => {
  it('is ready before any call, turns 503 while the breaker is open, and ready again once it closes', async () => {
    expect(await readyz()).toMatchObject({ status: 200, body: { ready: true, checks: { config: { ok: true }, breaker: { ok: true, detail: 'closed' } } } });

    upstreamEvents.breaker.publish({ state: 'open', previous: 'closed' });
    const open = await readyz();
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ ready: false, checks: { breaker: { ok: false, detail: 'open' }, upstream: { ok: true } } });

    upstreamEvents.breaker.publish({ state: 'half-open', previous: 'open' });
    expect((await readyz()).status).toBe(200);
    upstreamEvents.breaker.publish({ state: 'closed', previous: 'half-open' });
    expect((await readyz()).status).toBe(200);
  });

  it('turns 503 when the last upstream call got no answer, and ready when the next one does', async () => {
    await h.query('{ trainingJob(jobId: "fault-reset") { operations { totalCount } } }');
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.upstream).toMatchObject({ ok: false, detail: expect.stringContaining('UPSTREAM_UNAVAILABLE') });

    // A 404 is an answer: the upstream is there.
    await h.query('{ trainingJob(jobId: "no-such-job") { operations { totalCount } } }');
    expect(await readyz()).toMatchObject({ status: 200, body: { checks: { upstream: { ok: true } } } });
  });
});

describe('/readyz with a real breaker', () => {
  it('turns 503 when the client breaker opens, and needs no caller credentials', async () => {
    const hh = await startHarness({ client: { retries: 0, breakerThreshold: 1, breakerCooldownMs: 60_000 } });
    const keyDigest = createHash('sha256').update('a-caller-key').digest('hex');
    const app = createApp({ client: hh.client, security: { ...DEFAULT_SECURITY, auth: { mode: 'apikey', keyDigests: [keyDigest] } } });
    try {
      hh.simulator.inject({ kind: 'status', status: 502 }, { times: 1 });
      await hh.client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 }).catch(() => undefined);
      expect(hh.client.breakerState).toBe('open');
      const response = await app.fetch('http://localhost/readyz');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, checks: { breaker: { ok: false, detail: 'open' } } });
      // The GraphQL endpoint itself still wants the key.
      expect((await app.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' })).status).toBe(401);
    } finally {
      await app.dispose();
      await hh.close();
    }
  });
});

describe('Readiness', () => {
  it('forgets a failed call after 60 s, and ignores calls that never reached the upstream', () => {
    let now = 1_000_000;
    const readiness = new Readiness(() => now);
    try {
      upstreamEvents.call.publish({ jobId: 'j', offset: 0, limit: 10, attempts: 1, durationMs: 5, outcome: 'UPSTREAM_UNAVAILABLE' });
      expect(readiness.report().ready).toBe(false);
      now += RECENT_CALL_MS;
      expect(readiness.report().ready).toBe(false);
      now += 1;
      expect(readiness.report()).toMatchObject({ ready: true, checks: { upstream: { ok: true } } });

      upstreamEvents.call.publish({ jobId: 'j', offset: 0, limit: 10, attempts: 1, durationMs: 5, outcome: 'UPSTREAM_UNAVAILABLE' });
      upstreamEvents.call.publish({ jobId: 'j', offset: 0, limit: 10, attempts: 0, durationMs: 0, outcome: 'UPSTREAM_UNAVAILABLE' });
      expect(readiness.report().ready).toBe(false);
      upstreamEvents.call.publish({ jobId: 'j', offset: 0, limit: 10, attempts: 2, durationMs: 5, outcome: 'ok' });
      expect(readiness.report().ready).toBe(true);
      // A failed-fast call after that answer leaves readiness as the answer set it.
      upstreamEvents.call.publish({ jobId: 'j', offset: 0, limit: 10, attempts: 0, durationMs: 0, outcome: 'UPSTREAM_UNAVAILABLE' });
      expect(readiness.report()).toMatchObject({ ready: true, checks: { upstream: { ok: true } } });
    } finally {
      readiness.close();
    }
  });
});
