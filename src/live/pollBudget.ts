// How often job pollers may call MetaStudio. After a change a poller waits
// SUBSCRIPTION_POLL_MS; each poll that finds nothing new doubles the wait, up to
// SUBSCRIPTION_POLL_MAX_MS. Together the pollers take at most
// SUBSCRIPTION_UPSTREAM_SHARE of UPSTREAM_RATE_LIMIT: with N pollers and that
// share worth R calls per second, no poller waits less than N / R seconds, so
// every job's interval stretches evenly and queries keep the rest of the budget.
// With replicas sharing pollers through Redis, each watched job is polled by one
// replica, so N is the number of jobs polled in the whole cluster and R the
// whole share; while Redis is down each replica polls its own jobs, so N is its
// own pollers and R its part of the share (divided by the replicas it last saw).

interface PollBudgetOptions {
  pollMs: number;
  pollMaxMs: number;
  /** Share (0-1] of the upstream rate limit that pollers may take. */
  upstreamShare: number;
  /** UPSTREAM_RATE_LIMIT, calls per second; 0: no limit, only the intervals bound pollers. */
  rateLimit: number;
  /** Replicas sharing that limit, as last seen. */
  replicas: () => number;
  /** Jobs polled across the cluster, while replicas share pollers and Redis answers; else null. */
  clusterPollers?: () => number | null;
}

export class PollBudget {
  private pollers = 0;

  constructor(private readonly options: PollBudgetOptions) {}

  /** Counts a poller in (+1) or out (-1). */
  track(delta: 1 | -1): void {
    this.pollers += delta;
  }

  /** The wait after a change: SUBSCRIPTION_POLL_MS, or longer when the budget is shared by many pollers. */
  get floorMs(): number {
    const share = this.options.upstreamShare * this.options.rateLimit;
    const cluster = this.options.clusterPollers?.() ?? null;
    const [pollers, perSecond] =
      cluster === null ? [this.pollers, share / Math.max(1, this.options.replicas())] : [cluster, share];
    if (perSecond <= 0) return this.options.pollMs;
    return Math.max(this.options.pollMs, Math.ceil((pollers * 1000) / perSecond));
  }

  /** The wait before the next poll, after `idlePolls` polls in a row found nothing new. */
  intervalMs(idlePolls: number): number {
    // 2^31 is far past any maximum; the cap keeps the power finite.
    const backedOff = Math.min(this.options.pollMaxMs, this.options.pollMs * 2 ** Math.min(idlePolls, 31));
    return Math.max(backedOff, this.floorMs);
  }
}
