// Prometheus metrics: GraphQL requests and operations (useGraphQLMetrics.ts,
// the families of yoga's Prometheus plugin), the upstream's figures from the upstream events, and process metrics.
// Each app gets its own registry, so tests can build several. Upstream events are
// process-wide: with one client per process, that is the client's traffic.
import type { Plugin } from 'graphql-yoga';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { IN_PROCESS, type ClusterMode, type ClusterState } from '../cluster/clusterState.js';
import { clusterEvents } from '../cluster/events.js';
import { liveEvents } from '../live/liveEvents.js';
import type { LiveJobs } from '../live/liveJobs.js';
import { scopeEvents } from '../scope/scopeEvents.js';
import type { MetaStudioClient } from '../upstream/client.js';
import { upstreamEvents, type BreakerState } from '../upstream/events.js';
import { useGraphQLMetrics, type GraphQLMetricsOptions } from './useGraphQLMetrics.js';

/** Seconds; MetaStudio answers in tens of milliseconds to seconds, our timeout is 10 s by default. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A batch is at most the distinct windows of one request (100 jobs). */
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100];
const BREAKER_STATES: BreakerState[] = ['closed', 'open', 'half-open'];
const CLUSTER_MODES: ClusterMode[] = ['in-process', 'shared', 'degraded'];

function statusClass(status: number | undefined): string {
  return status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly unsubscribe: (() => void)[];

  /** `live`: the job pollers behind subscriptions, whose figures are read at each scrape. */
  constructor(
    client: Pick<MetaStudioClient, 'inFlight'>,
    cluster: Pick<ClusterState, 'mode' | 'replicas'> = IN_PROCESS,
    live?: Pick<LiveJobs, 'openSubscriptions' | 'watchedJobs' | 'floorMs'>,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    const calls = new Counter({
      name: 'metastudio_upstream_calls_total',
      help: 'Logical upstream calls that reached MetaStudio (all attempts of one window), by outcome: ok or the UPSTREAM_* error code',
      labelNames: ['outcome'],
      registers,
    });
    const refusedCalls = new Counter({
      name: 'metastudio_upstream_calls_refused_total',
      help: 'Upstream calls failed fast with no attempt (breaker open, rate-limit wait timed out), by UPSTREAM_* error code',
      labelNames: ['outcome'],
      registers,
    });
    const callDuration = new Histogram({
      name: 'metastudio_upstream_call_duration_seconds',
      help: 'Duration of logical upstream calls that reached MetaStudio, waits and retries included',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const attempts = new Counter({
      name: 'metastudio_upstream_attempts_total',
      help: 'Upstream HTTP exchanges, by status class (none: no answer) and error code (none: success)',
      labelNames: ['status_class', 'error_code'],
      registers,
    });
    const attemptDuration = new Histogram({
      name: 'metastudio_upstream_attempt_duration_seconds',
      help: 'Latency of single upstream HTTP exchanges',
      labelNames: ['status_class'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const retries = new Counter({
      name: 'metastudio_upstream_retries_total',
      help: 'Upstream attempts retried, by the error code of the failed attempt',
      labelNames: ['error_code'],
      registers,
    });
    const rateLimitWaits = new Counter({
      name: 'metastudio_upstream_rate_limit_waits_total',
      help: 'Waits for a rate-limit token (granted), and calls not sendable within UPSTREAM_QUEUE_TIMEOUT_MS (timeout)',
      labelNames: ['outcome'],
      registers,
    });
    const rateLimitWaitDuration = new Histogram({
      name: 'metastudio_upstream_rate_limit_wait_seconds',
      help: 'Time spent waiting for a rate-limit token',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const cache = new Counter({
      name: 'metastudio_upstream_cache_requests_total',
      help: 'Upstream cache lookups, by outcome: hit, miss, or shared (joined an identical call in flight)',
      labelNames: ['outcome'],
      registers,
    });
    const batchSize = new Histogram({
      name: 'metastudio_loader_batch_size',
      help: 'Keys per DataLoader batch',
      labelNames: ['loader'],
      buckets: BATCH_BUCKETS,
      registers,
    });
    const breakerState = new Gauge({
      name: 'metastudio_upstream_breaker_state',
      help: 'Circuit breaker state: 1 for the current state, 0 for the others',
      labelNames: ['state'],
      registers,
    });
    // What /readyz reports about the upstream without turning unready over it.
    const lastCallAvailable = new Gauge({
      name: 'metastudio_upstream_last_call_available',
      help: 'The most recent call that reached MetaStudio: 0 when it ended UPSTREAM_UNAVAILABLE (no answer, 5xx, 408), 1 otherwise or before any call',
      registers,
    });
    lastCallAvailable.set(1);
    const breakerTransitions = new Counter({
      name: 'metastudio_upstream_breaker_transitions_total',
      help: 'Circuit breaker state changes, by the state entered',
      labelNames: ['state'],
      registers,
    });
    new Gauge({
      name: 'metastudio_upstream_in_flight',
      help: 'Upstream calls being made right now',
      registers,
      collect() {
        this.set(client.inFlight);
      },
    });

    new Gauge({
      name: 'metastudio_cluster_mode',
      help: 'Where shared state lives: 1 for the current mode (in-process: no REDIS_URL; shared: Redis; degraded: Redis down, each replica on its own share)',
      labelNames: ['mode'],
      registers,
      collect() {
        for (const mode of CLUSTER_MODES) this.set({ mode }, mode === cluster.mode ? 1 : 0);
      },
    });
    new Gauge({
      name: 'metastudio_cluster_replicas',
      help: "Replicas sharing the tenant's budget, as this one last saw them",
      registers,
      collect() {
        this.set(cluster.replicas);
      },
    });
    if (cluster.mode !== 'in-process') {
      new Gauge({
        name: 'metastudio_redis_up',
        help: 'Whether Redis answered within REDIS_TIMEOUT_MS at the last command: 1 yes, 0 no (degraded mode)',
        registers,
        collect() {
          this.set(cluster.mode === 'shared' ? 1 : 0);
        },
      });
    }
    const sharedPages = new Counter({
      name: 'metastudio_shared_cache_requests_total',
      help: "Pages the in-process cache missed, at the shared level: hit (kept in Redis), waited (fetched by another replica), fetched (by this one, while the others waited), alone (by this one: Redis down, or another replica's fetch failed or took too long)",
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'metastudio_subscriptions_open',
      help: 'Subscriptions open right now, over SSE and WebSocket',
      registers,
      collect() {
        this.set(live?.openSubscriptions ?? 0);
      },
    });
    new Gauge({
      name: 'metastudio_subscription_jobs_watched',
      help: 'Distinct jobs polled for subscribers right now (at most SUBSCRIPTION_MAX_JOBS)',
      registers,
      collect() {
        this.set(live?.watchedJobs ?? 0);
      },
    });
    new Gauge({
      name: 'metastudio_subscription_poll_interval_seconds',
      help: 'Wait between polls after a change: SUBSCRIPTION_POLL_MS, or longer when many watched jobs share SUBSCRIPTION_UPSTREAM_SHARE of the rate limit',
      registers,
      collect() {
        if (live) this.set(live.floorMs / 1000);
      },
    });
    const polls = new Counter({
      name: 'metastudio_subscription_polls_total',
      help: 'Polls of watched jobs, by outcome: changed (new operations), unchanged, or failed',
      labelNames: ['outcome'],
      registers,
    });

    const scopeRefusals = new Counter({
      name: 'metastudio_scope_refusals_total',
      help: "Refusals while scoping is on, by reason: missing_app_user_id (none, or not a string), invalid_app_user_id (not 1 to 64 printable ASCII characters without spaces), or foreign_job (another app user's job, answered as unknown)",
      labelNames: ['reason'],
      registers,
    });
    const foreignListed = new Counter({
      name: 'metastudio_scope_foreign_listed_jobs_total',
      help: "Jobs MetaStudio listed for a caller's X-App-UserId that were another app user's, dropped from the page",
      registers,
    });
    const allJobsRequests = new Counter({
      name: 'metastudio_scope_all_jobs_requests_total',
      help: 'Requests that read every job through the support scope, by how: token (AUTH_ALL_JOBS_SCOPE) or apikey (a key bound to *)',
      labelNames: ['via'],
      registers,
    });

    const setBreaker = (current: BreakerState) => {
      for (const state of BREAKER_STATES) breakerState.set({ state }, state === current ? 1 : 0);
    };
    setBreaker('closed');

    this.unsubscribe = [
      upstreamEvents.call.subscribe(({ outcome, attempts, durationMs }) => {
        if (attempts === 0) {
          refusedCalls.inc({ outcome });
          return;
        }
        calls.inc({ outcome });
        lastCallAvailable.set(outcome === 'UPSTREAM_UNAVAILABLE' ? 0 : 1);
        callDuration.observe({ outcome }, durationMs / 1000);
      }),
      upstreamEvents.attempt.subscribe(({ status, errorCode, durationMs }) => {
        attempts.inc({ status_class: statusClass(status), error_code: errorCode ?? 'none' });
        attemptDuration.observe({ status_class: statusClass(status) }, durationMs / 1000);
      }),
      upstreamEvents.retry.subscribe(({ errorCode }) => retries.inc({ error_code: errorCode })),
      upstreamEvents.rateLimitWait.subscribe(({ outcome, waitedMs }) => {
        rateLimitWaits.inc({ outcome });
        rateLimitWaitDuration.observe(waitedMs / 1000);
      }),
      upstreamEvents.cache.subscribe(({ outcome }) => cache.inc({ outcome })),
      upstreamEvents.loaderBatch.subscribe(({ loader, size }) => batchSize.observe({ loader }, size)),
      liveEvents.poll.subscribe(({ outcome }) => polls.inc({ outcome })),
      upstreamEvents.breaker.subscribe(({ state }) => {
        setBreaker(state);
        breakerTransitions.inc({ state });
      }),
      clusterEvents.sharedPage.subscribe(({ outcome }) => sharedPages.inc({ outcome })),
      scopeEvents.refusal.subscribe(({ reason }) => scopeRefusals.inc({ reason })),
      scopeEvents.allJobs.subscribe(({ via }) => allJobsRequests.inc({ via })),
      scopeEvents.foreignListed.subscribe(() => foreignListed.inc()),
    ];
  }

  /**
   * The GraphQL request and operation metrics, into this registry; also serves
   * /metrics on the app unless another port does. `operationNames` labels them with
   * the operation's name: only for a persisted-operations allowlist, which bounds the names.
   */
  plugin(options: GraphQLMetricsOptions): Plugin {
    return useGraphQLMetrics(this.registry, options);
  }

  /** Stops listening to upstream events. */
  close(): void {
    for (const off of this.unsubscribe) off();
  }
}
