// Where the client keeps what protects the tenant at MetaStudio: its rate-limit
// budget and its signature guard. This process by default; main.ts hands the
// cluster's (cluster/clusterState.ts), which may keep them in Redis for every replica.
import { LocalSignatureGuard, type SignatureGuard } from './signatureGuard.js';
import type { TenantBudget } from './tenantBudget.js';
import { TokenBucket } from './tokenBucket.js';

export interface TenantState {
  /** The tenant's budget; `identity` names the credentials (endpoint, project, AK); `now` is the in-process clock. */
  tenantBudget(identity: string, ratePerSecond: number, now?: () => number): TenantBudget;
  signatureGuard(identity: string, cooldownMs: number): SignatureGuard;
}

export const IN_PROCESS_TENANT: TenantState = {
  // One second of tokens, so a burst never exceeds the per-second limit.
  tenantBudget: (_identity, ratePerSecond, now) =>
    new TokenBucket({ ratePerSecond, burst: Math.max(1, ratePerSecond), now }),
  signatureGuard: (_identity, cooldownMs) => new LocalSignatureGuard({ cooldownMs }),
};
