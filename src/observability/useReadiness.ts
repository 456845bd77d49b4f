// Readiness for a load balancer (/readyz): whether this replica can serve, which
// is its own affair only: the configuration loaded, the server listening, and no
// shutdown draining it. MetaStudio is shared by every replica, so its state (the
// circuit breaker, the most recent call) is reported in the body but never makes
// a replica unready: all of them would turn unready together and leave the load
// balancer with none, even for answers the cache could give. /healthz (liveness)
// is yoga's own.
import type { Plugin } from 'graphql-yoga';
import { upstreamEvents, type BreakerState, type CallEvent } from '../upstream/events.js';

export const RECENT_CALL_MS = 60_000;

export interface Check {
  ok: boolean;
  detail: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** This replica's own ability to serve: these alone decide `ready`. */
  checks: { config: Check; listening: Check; draining: Check };
  /** What every replica shares: reported, never a reason to be unready. */
  dependencies: { breaker: Check; upstream: Check };
}

export interface ReadinessOptions {
  /** Whether the HTTP server accepts connections; not tracked when absent (the app served by other means). */
  listening?: () => boolean;
  now?: () => number;
}

export class Readiness {
  private breaker: BreakerState = 'closed';
  private lastCall: { at: number; outcome: CallEvent['outcome'] } | undefined;
  private draining = false;
  private readonly now: () => number;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly options: ReadinessOptions = {}) {
    this.now = options.now ?? Date.now;
    this.unsubscribe = [
      upstreamEvents.breaker.subscribe(({ state }) => (this.breaker = state)),
      upstreamEvents.call.subscribe(({ attempts, outcome }) => {
        // A call that failed fast (breaker open, rate-limit queue full) says nothing about the upstream.
        if (attempts > 0) this.lastCall = { at: this.now(), outcome };
      }),
    ];
  }

  /** A shutdown began: from now on the replica reports itself unready. */
  drain(): void {
    this.draining = true;
  }

  report(): ReadinessReport {
    const listening = this.options.listening?.();
    const checks = {
      // The app is only built once the configuration has been validated.
      config: { ok: true, detail: 'loaded' },
      listening:
        listening === undefined
          ? { ok: true, detail: 'not tracked: no HTTP server was given' }
          : { ok: listening, detail: listening ? 'accepting connections' : 'not accepting connections' },
      draining: this.draining ? { ok: false, detail: 'shutting down: finishing the requests in flight' } : { ok: true, detail: 'no' },
    };
    return {
      ready: Object.values(checks).every((check) => check.ok),
      checks,
      dependencies: { breaker: { ok: this.breaker !== 'open', detail: this.breaker }, upstream: this.upstream() },
    };
  }

  private upstream(): Check {
    const age = this.lastCall ? this.now() - this.lastCall.at : undefined;
    if (this.lastCall === undefined || age === undefined || age > RECENT_CALL_MS) {
      return { ok: true, detail: `no upstream call in the last ${RECENT_CALL_MS / 1000} s` };
    }
    return this.lastCall.outcome === 'UPSTREAM_UNAVAILABLE'
      ? { ok: false, detail: `the last upstream call, ${Math.round(age / 1000)} s ago, got no answer (UPSTREAM_UNAVAILABLE)` }
      : { ok: true, detail: `the last upstream call, ${Math.round(age / 1000)} s ago, was answered` };
  }

  close(): void {
    for (const off of this.unsubscribe) off();
  }
}

/** Serves GET /readyz: 200 when ready, 503 otherwise; the body names every check. */
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
