// Readiness for a load balancer (/readyz): the configuration loaded, the circuit
// breaker not open, and the most recent upstream call, if within the last 60 s,
// answered. Tracked from the upstream events; /healthz (liveness) is yoga's own.
// Where shared state lives is reported too, but never makes a replica unready: a
// replica without Redis still serves, on its own share of the budget.
import type { Plugin } from 'graphql-yoga';
import { IN_PROCESS, type ClusterMode, type ClusterState } from '../cluster/clusterState.js';
import { upstreamEvents, type BreakerState, type CallEvent } from '../upstream/events.js';

export const RECENT_CALL_MS = 60_000;

export interface Check {
  ok: boolean;
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** in-process, shared (through Redis) or degraded (Redis down: each replica on its own). */
  mode: ClusterMode;
  checks: { config: Check; breaker: Check; upstream: Check; sharedState: Check };
}

const MODE_DETAILS: Record<ClusterMode, (replicas: number) => string> = {
  'in-process': () => 'in this process (no REDIS_URL)',
  shared: (replicas) => `shared through Redis by ${replicas} replica(s)`,
  degraded: (replicas) =>
    `Redis does not answer: this replica uses 1/${replicas} of the tenant's rate limit and its own cache until it does (degraded)`,
};

export class Readiness {
  private breaker: BreakerState = 'closed';
  private lastCall: { at: number; outcome: CallEvent['outcome'] } | undefined;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly cluster: Pick<ClusterState, 'mode' | 'replicas'> = IN_PROCESS,
  ) {
    this.unsubscribe = [
      upstreamEvents.breaker.subscribe(({ state }) => (this.breaker = state)),
      upstreamEvents.call.subscribe(({ attempts, outcome }) => {
        // A call that failed fast (breaker open, rate-limit queue full) says nothing about the upstream.
        if (attempts > 0) this.lastCall = { at: this.now(), outcome };
      }),
    ];
  }

  report(): ReadinessReport {
    const age = this.lastCall ? this.now() - this.lastCall.at : undefined;
    const upstream: Check =
      this.lastCall === undefined || age === undefined || age > RECENT_CALL_MS
        ? { ok: true, detail: `no upstream call in the last ${RECENT_CALL_MS / 1000} s` }
        : this.lastCall.outcome === 'UPSTREAM_UNAVAILABLE'
          ? { ok: false, detail: `the last upstream call, ${Math.round(age / 1000)} s ago, got no answer (UPSTREAM_UNAVAILABLE)` }
          : { ok: true, detail: `the last upstream call, ${Math.round(age / 1000)} s ago, was answered` };
    const checks = {
      // The app is only built once the configuration has been validated.
      config: { ok: true, detail: 'loaded' },
      breaker: { ok: this.breaker !== 'open', detail: this.breaker },
      upstream,
      sharedState: { ok: true, detail: MODE_DETAILS[this.cluster.mode](this.cluster.replicas) },
    };
    return { ready: Object.values(checks).every((check) => check.ok), mode: this.cluster.mode, checks };
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }
}

/** Serves GET /readyz: 200 when ready, 503 naming the failing check otherwise. */
export function useReadiness(readiness = new Readiness()): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/readyz') return;
      const report = readiness.report();
      endResponse(fetchAPI.Response.json(report, { status: report.ready ? 200 : 503 }));
    },
    onDispose() {
      readiness.close();
    },
  };
}
