// MetaStudio's gateway locks an AK after 5 rejected signatures in a row, and every
// call signed with the same keys and clock fails the same way. The guard counts
// rejections in a row per credential identity; at 3 it opens for the cooldown and
// every call fails fast without being sent. When the cooldown ends one call is
// let through as a probe (the others still wait): accepted, the count starts
// over; rejected, the guard opens again. This is the guard of one process;
// cluster/signatureGuard.ts shares the count through Redis.

/** Below MetaStudio's lock at 5, whatever BREAKER_THRESHOLD says. */
export const SIGNATURE_REJECTIONS_TO_OPEN = 3;

export interface SignatureGuard {
  /** Before sending: 0 when the call may go, else the milliseconds until calls are tried again. */
  check(): Promise<number>;
  /** MetaStudio rejected the signature of a call. */
  rejected(): Promise<void>;
  /** MetaStudio accepted the signature of a call (any answer from past its gateway's check). */
  accepted(): Promise<void>;
}

export interface SignatureGuardOptions {
  cooldownMs: number;
  /** Milliseconds clock; replaceable in tests. */
  now?: () => number;
}

export class LocalSignatureGuard implements SignatureGuard {
  private rejections = 0;
  private openUntil = 0;
  private readonly now: () => number;

  constructor(private readonly options: SignatureGuardOptions) {
    this.now = options.now ?? performance.now.bind(performance);
  }

  async check(): Promise<number> {
    const now = this.now();
    if (now < this.openUntil) return this.openUntil - now;
    // Cooled down: this call is the probe; the others wait for its outcome.
    if (this.rejections >= SIGNATURE_REJECTIONS_TO_OPEN) this.openUntil = now + this.options.cooldownMs;
    return 0;
  }

  async rejected(): Promise<void> {
    this.rejections += 1;
    if (this.rejections >= SIGNATURE_REJECTIONS_TO_OPEN) this.openUntil = this.now() + this.options.cooldownMs;
  }

  async accepted(): Promise<void> {
    this.rejections = 0;
    this.openUntil = 0;
  }
}
