// /readyz: ready while this replica can serve; MetaStudio's state (breaker, last
// call) and Redis's are in the body and never make it unready; a draining replica is unready.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Readiness, RECENT_CALL_MS, type ReadinessReport } from '../../src/observability/useReadiness.js';
import { DEFAULT_SECURITY } from '../../src/security/policy.js';
import { createApp } from '../../src/app.js';
import { upstreamEvents } from '../../src/upstream/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { killAll } from '../support/processes.js';
import { startReplicas } from '../support/replicas.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.app.dispose();
  await h.close();
});
afterEach(killAll);

async function readyz(): Promise<{ status: number; body: ReadinessReport }> {
  const response = await h.app.fetch('http://localhost/readyz');
  return { status: response.status, body: (await response.json()) as ReadinessReport };
}

describe('/readyz', () => {
  it('is ready before any call, and stays ready while the breaker is open, reporting it in the body', async () => {
    expect(await readyz()).toMatchObject({
      status: 200,
      body: {
        ready: true,
        checks: { config: { ok: true }, draining: { ok: true } },
        dependencies: { breaker: { ok: true, detail: 'closed' } },
      },
    });

    upstreamEvents.breaker.publish({ state: 'open', previous: 'closed' });
    expect(await readyz()).toMatchObject({
      status: 200,
      body: { ready: true, dependencies: { breaker: { ok: false, detail: 'open' }, upstream: { ok: true } } },
    });

    upstreamEvents.breaker.publish({ state: 'half-open', previous: 'open' });
    expect((await readyz()).body.dependencies.breaker).toEqual({ ok: true, detail: 'half-open' });
    upstreamEvents.breaker.publish({ state: 'closed', previous: 'half-open' });
    expect((await readyz()).body.dependencies.breaker).toEqual({ ok: true, detail: 'closed' });
  });

  it('stays ready when the last upstream call got no answer, reporting it until the next one is answered', async () => {
    await h.query('{ trainingJob(jobId: "fault-reset") { operations { totalCount } } }');
    const down = await readyz();
    expect(down).toMatchObject({ status: 200, body: { ready: true } });
    expect(down.body.dependencies.upstream).toMatchObject({
      ok: false,
      detail: expect.stringContaining('UPSTREAM_UNAVAILABLE'),
    });

    // A 404 is an answer: the upstream is there.
    await h.query('{ trainingJob(jobId: "no-such-job") { operations { totalCount } } }');
    expect(await readyz()).toMatchObject({ status: 200, body: { dependencies: { upstream: { ok: true } } } });
  });
});

describe('/readyz with a real breaker', () => {
  it('stays ready when the client breaker opens, and needs no caller credentials', async () => {
    const hh = await startHarness({ client: { retries: 0, breakerThreshold: 1, breakerCooldownMs: 60_000 } });
    const keyDigest = createHash('sha256').update('a-caller-key').digest('hex');
    const app = createApp({
      client: hh.client,
      security: { ...DEFAULT_SECURITY, auth: { mode: 'apikey', keyDigests: [keyDigest] } },
    });
    try {
      hh.simulator.inject({ kind: 'status', status: 502 }, { times: 1 });
      await hh.client.listOperationLogs({ jobId: 'job-complete', offset: 0, limit: 1 }).catch(() => undefined);
      expect(hh.client.breakerState).toBe('open');
      const response = await app.fetch('http://localhost/readyz');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        ready: true,
        dependencies: { breaker: { ok: false, detail: 'open' } },
      });
      // The GraphQL endpoint itself still wants the key.
      expect(
        (
          await app.fetch('http://localhost/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"query":"{__typename}"}',
          })
        ).status,
      ).toBe(401);
    } finally {
      await app.dispose();
      await hh.close();
    }
  });
});

describe('Readiness', () => {
  it('forgets a failed call after 60 s, and ignores calls that never reached the upstream', () => {
    let now = 1_000_000;
    const readiness = new Readiness({ now: () => now });
    const upstreamOk = () => readiness.report().dependencies.upstream.ok;
    // attempts 0: failed fast, without reaching the upstream.
    const call = (attempts: number, outcome: 'ok' | 'UPSTREAM_UNAVAILABLE') =>
      upstreamEvents.call.publish({
        operation: 'listOperationLogs',
        jobId: 'j',
        offset: 0,
        limit: 10,
        attempts,
        durationMs: attempts ? 5 : 0,
        outcome,
      });
    try {
      call(1, 'UPSTREAM_UNAVAILABLE');
      expect(upstreamOk()).toBe(false);
      expect(readiness.report().ready).toBe(true);
      now += RECENT_CALL_MS;
      expect(upstreamOk()).toBe(false);
      now += 1;
      expect(upstreamOk()).toBe(true);

      call(1, 'UPSTREAM_UNAVAILABLE');
      call(0, 'UPSTREAM_UNAVAILABLE');
      expect(upstreamOk()).toBe(false);
      call(2, 'ok');
      expect(upstreamOk()).toBe(true);
      // A failed-fast call after that answer leaves the report as the answer set it.
      call(0, 'UPSTREAM_UNAVAILABLE');
      expect(upstreamOk()).toBe(true);
    } finally {
      readiness.close();
    }
  });

  it('is unready when the server stops listening or a shutdown drains it', () => {
    let listening = true;
    const readiness = new Readiness({ listening: () => listening });
    try {
      expect(readiness.report()).toMatchObject({
        ready: true,
        checks: { listening: { ok: true }, draining: { ok: true } },
      });
      listening = false;
      expect(readiness.report()).toMatchObject({
        ready: false,
        checks: { listening: { ok: false }, draining: { ok: true } },
      });
      listening = true;
      readiness.drain();
      expect(readiness.report()).toMatchObject({
        ready: false,
        checks: { listening: { ok: true }, draining: { ok: false } },
      });
    } finally {
      readiness.close();
    }
  });

  it('reports where shared state lives, and stays ready when Redis is down', () => {
    const alone = new Readiness();
    expect(alone.report()).toMatchObject({
      ready: true,
      mode: 'in-process',
      dependencies: { sharedState: { ok: true } },
    });
    alone.close();
    const readiness = new Readiness({ cluster: { mode: 'degraded', replicas: 3 } });
    try {
      expect(readiness.report()).toMatchObject({
        ready: true,
        mode: 'degraded',
        dependencies: { sharedState: { ok: false, detail: expect.stringContaining("1/3 of the tenant's rate limit") } },
      });
    } finally {
      readiness.close();
    }
  });
});

describe('/readyz of a replica draining after SIGTERM', () => {
  it('answers 503 to a probe still arriving on an open connection, while the other replica stays ready', async () => {
    const cluster = await startReplicas({ count: 2 });
    try {
      // Both serve, from the one upstream.
      for (let i = 0; i < 2; i++) {
        expect(await cluster.query('{ trainingJob(jobId: "job-complete") { operations { totalCount } } }')).toEqual({
          data: { trainingJob: { operations: { totalCount: 7 } } },
        });
      }
      expect(cluster.simulator.requests.map((r) => r.jobId)).toEqual(['job-complete', 'job-complete']);
      const [draining, other] = cluster.replicas as [(typeof cluster.replicas)[0], (typeof cluster.replicas)[0]];

      // A load balancer's probe caught mid-request by the shutdown: its headers are half sent, so the
      // connection is busy and stays open while the server drains.
      const probe = connect(Number(new URL(draining.origin).port), '127.0.0.1');
      await once(probe, 'connect');
      let answer = '';
      probe.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      probe.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n');
      // A round trip on another connection: by its end the server has read the half-sent probe.
      expect((await fetch(`${draining.origin}/healthz`)).status).toBe(200);

      draining.script.child.kill('SIGTERM');
      expect(await draining.script.waitFor(/SIGTERM received/)).not.toBeNull();
      probe.write('\r\n');
      await once(probe, 'end');
      expect(answer).toMatch(/^HTTP\/1\.1 503 /);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as ReadinessReport;
      expect(body).toMatchObject({ ready: false, checks: { draining: { ok: false }, config: { ok: true } } });
      expect(await draining.script.exitCode()).toBe(0);

      expect((await fetch(`${other.origin}/readyz`)).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  });
});
