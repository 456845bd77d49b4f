// The circuit breaker in front of MetaStudio, on cockatiel's. It opens after a
// run of consecutive failed calls. While open, calls fail fast; after the
// cooldown one probe goes through and its outcome decides. Rejected signatures
// have a lower, shared count of their own: see cluster/signatureGuard.ts.
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  IsolatedCircuitError,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import { unavailable, UpstreamError } from './errors.js';
import { upstreamEvents, type BreakerState } from './events.js';

export interface BreakerOptions {
  /** Consecutive failed calls that open the breaker. */
  threshold: number;
  cooldownMs: number;
}

/** Failures that say MetaStudio cannot serve us now, as opposed to answers about one job. */
function countsAgainstUpstream(error: unknown): boolean {
  return (
    error instanceof UpstreamError &&
    (error.code === 'UPSTREAM_UNAVAILABLE' ||
      // A 429 from MetaStudio; our own rate limit's refusals never reached it.
      (error.code === 'UPSTREAM_THROTTLED' && error.details.status === 429) ||
      error.code === 'UPSTREAM_INVALID_RESPONSE' ||
      error.code === 'UPSTREAM_UNAUTHORIZED')
  );
}

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

export class UpstreamBreaker {
  private readonly counter: ConsecutiveBreaker;
  private readonly policy: CircuitBreakerPolicy;
  private current: BreakerState = 'closed';
  private lastFailure: UpstreamError | undefined;

  constructor(private readonly options: BreakerOptions) {
    this.counter = new ConsecutiveBreaker(options.threshold);
    this.policy = circuitBreaker(handleWhen(countsAgainstUpstream), {
      halfOpenAfter: options.cooldownMs,
      breaker: this.counter,
    });
    this.policy.onStateChange((state) => {
      const previous = this.current;
      this.current = STATES[state];
      if (this.current !== previous) upstreamEvents.breaker.publish({ state: this.current, previous });
    });
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Runs `call` unless the breaker is open; then rejects at once with UPSTREAM_UNAVAILABLE. */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(async () => {
        try {
          return await call();
        } catch (error) {
          if (countsAgainstUpstream(error)) {
            this.lastFailure = error as UpstreamError;
          } else if (error instanceof UpstreamError && error.details.status !== undefined) {
            // An answer about one job (404, 400, ...) shows MetaStudio is serving us. Refusals
            // of our own (rate limit, a job id that cannot be sent) never reached it: no change.
            this.counter.success();
          }
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) throw this.openError();
      throw error;
    }
  }

  private openError(): UpstreamError {
    const cause = this.lastFailure ? `; last failure: ${this.lastFailure.message}` : '';
    return unavailable(
      `calls are paused for up to ${this.options.cooldownMs} ms after ${this.options.threshold} consecutive failed calls (circuit breaker open${cause})`,
    );
  }
}
