// The circuit breaker in front of MetaStudio, on cockatiel's. It opens after a
// run of consecutive failed calls, and sooner when MetaStudio keeps rejecting
// our signature: every following call is signed the same way (same keys, same
// clock) and would fail the same way, and the gateway locks the AK after 5 of
// them. While open, calls fail fast; after the cooldown one probe goes through
// and its outcome decides.
import { BrokenCircuitError, circuitBreaker, CircuitState, handleWhen, IsolatedCircuitError, type CircuitBreakerPolicy, type IBreaker } from 'cockatiel';
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

/** Rejected signatures in a row that open the breaker whatever BREAKER_THRESHOLD says: below the AK lock at 5. */
const SIGNATURE_REJECTIONS_TO_OPEN = 3;

function isSignatureRejection(error: unknown): boolean {
  return error instanceof UpstreamError && error.code === 'UPSTREAM_UNAUTHORIZED';
}

/** cockatiel's ConsecutiveBreaker, plus its own, lower count for rejected signatures. */
class ConsecutiveFailures implements IBreaker {
  state = 0;
  private signatureRejections = 0;

  /** `failedWith` reads the failure being counted (cockatiel records it just before calling failure()). */
  constructor(
    private readonly threshold: number,
    private readonly failedWith: () => unknown,
  ) {}

  success(): void {
    this.state = 0;
    this.signatureRejections = 0;
  }

  failure(): boolean {
    this.state += 1;
    this.signatureRejections = isSignatureRejection(this.failedWith()) ? this.signatureRejections + 1 : 0;
    return this.state >= this.threshold || this.signatureRejections >= SIGNATURE_REJECTIONS_TO_OPEN;
  }
}

const STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

export class UpstreamBreaker {
  private readonly counter: ConsecutiveFailures;
  private readonly policy: CircuitBreakerPolicy;
  private current: BreakerState = 'closed';
  private lastFailure: UpstreamError | undefined;

  constructor(private readonly options: BreakerOptions) {
    this.counter = new ConsecutiveFailures(options.threshold, () => {
      const failure = this.policy.lastFailure;
      return failure && 'error' in failure ? failure.error : undefined;
    });
    this.policy = circuitBreaker(handleWhen(countsAgainstUpstream), { halfOpenAfter: options.cooldownMs, breaker: this.counter });
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
    const why =
      this.lastFailure && isSignatureRejection(this.lastFailure)
        ? `after ${SIGNATURE_REJECTIONS_TO_OPEN} rejected signatures in a row (MetaStudio locks the AK after 5)`
        : `after ${this.options.threshold} consecutive failed calls`;
    return unavailable(`calls are paused for up to ${this.options.cooldownMs} ms ${why} (circuit breaker open${cause})`);
  }
}
