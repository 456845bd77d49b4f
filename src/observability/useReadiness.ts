// Readiness for a load balancer (/readyz): the configuration loaded, the circuit
// breaker not open, and the most recent upstream call, if within the last 60 s,
// answered. Tracked from the upstream events; /healthz (liveness) is yoga's own.
import type { Plugin } from 'graphql-yoga';
import { upstreamEvents, type BreakerState, type CallEvent } from '../upstream/events.js';

export const RECENT_CALL_MS = 60_000;

export interface Check {
  ok: boolean;
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: { config: Check; breaker: Check; upstream: Check };
}

export class Readiness {
  private breaker: BreakerState = 'closed';
  private lastCall: { at: number; outcome: CallEvent['outcome'] } | undefined;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly now: () => number = Date.now) {
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
    };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
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
