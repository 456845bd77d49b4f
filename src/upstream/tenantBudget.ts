// What the upstream client takes its rate-limit tokens from: TokenBucket in this
// process, or a bucket every replica shares. Both tell a caller its wait up front.
export interface TenantBudget {
  /**
   * Milliseconds until `tokens` more tokens are free, taking none: how long a
   * call waits for its token behind `tokens - 1` calls queued before it.
   */
  waitMs(tokens: number): number | Promise<number>;
  /**
   * Takes one token, waiting for it. Resolves with the milliseconds waited, or
   * with null, at once and without a token, when the wait would exceed `maxWaitMs`.
   */
  take(maxWaitMs: number): Promise<number | null>;
}
