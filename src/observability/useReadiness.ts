// Readiness for a load balancer (/readyz): whether this replica can serve, which
// is its own affair only: the configuration loaded, the server listening, and no
// shutdown draining it. What every replica shares is reported in the body but
// never makes a replica unready: MetaStudio's state (the circuit breaker, the
// most recent call), since all of them would turn unready together and leave the
// load balancer with none, even for answers the cache could give; and Redis's,
// since a replica without it still serves, on its own share of the budget.
// /healthz (liveness) is yoga's own.
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
  /** This replica's own ability to serve: these alone decide `ready`. */
  checks: { config: Check; listening: Check; draining: Check };
  /** What every replica shares: reported, never a reason to be unready. */
  dependencies: { breaker: Check; upstream: Check; sharedState: Check };
}

interface ReadinessOptions {
  /** Whether the HTTP server accepts connections; not tracked when absent (the app served by other means). */
  listening?: () => boolean;
  /** Where shared state lives; this process when absent. */
  cluster?: Pick<ClusterState, 'mode' | 'replicas'>;
  now?: () => number;
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
      draining: this.draining
        ? { ok: false, detail: 'shutting down: finishing the requests in flight' }
        : { ok: true, detail: 'no' },
    };
    const { mode, replicas } = this.options.cluster ?? IN_PROCESS;
    return {
      ready: Object.values(checks).every((check) => check.ok),
      mode,
      checks,
      dependencies: {
        breaker: { ok: this.breaker !== 'open', detail: this.breaker },
        upstream: this.upstream(),
        sharedState: { ok: mode !== 'degraded', detail: MODE_DETAILS[mode](replicas) },
      },
    };
  }

  private upstream(): Check {
    const age = this.lastCall ? this.now() - this.lastCall.at : undefined;
    if (this.lastCall === undefined || age === undefined || age > RECENT_CALL_MS) {
      return { ok: true, detail: `no upstream call in the last ${RECENT_CALL_MS / 1000} s` };
    }
    return this.lastCall.outcome === 'UPSTREAM_UNAVAILABLE'
      ? {
          ok: false,
          detail: `the last upstream call, ${Math.round(age / 1000)} s ago, got no answer (UPSTREAM_UNAVAILABLE)`,
        }
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
