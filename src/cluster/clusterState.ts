// Where the state that protects MetaStudio lives: in this process (REDIS_URL
// unset), or in Redis, shared by every replica with the same URL and prefix. The
// rest of the server asks this for its budgets, guard and page level and does not
// know which it got.
import { randomUUID } from 'node:crypto';
import { LocalOwnerMemo, type OwnerMemo } from '../scope/ownerMemo.js';
import type { SignatureGuard } from '../upstream/signatureGuard.js';
import type { TenantBudget } from '../upstream/tenantBudget.js';
import { IN_PROCESS_TENANT, type TenantState } from '../upstream/tenantState.js';
import { LocalCallerBudget, SharedCallerBudget, type CallerBudget } from './callerBudget.js';
import { JobLeases } from './jobLease.js';
import { JobRelay } from './jobRelay.js';
import { RedisLink } from './redisLink.js';
import { HEARTBEAT_DEFAULT_MS, ReplicaHeartbeat } from './replicaHeartbeat.js';
import { SharedOwnerMemo } from './sharedOwnerMemo.js';
import { SharedPages, type SharedPagesOptions } from './sharedPages.js';
import { SharedSignatureGuard } from './signatureGuard.js';
import { SharedTenantBudget } from './tenantBudget.js';

/** in-process: no REDIS_URL; shared: through Redis; degraded: Redis is down, each replica on its own share. */
export type ClusterMode = 'in-process' | 'shared' | 'degraded';

/** The upstream client's tenant state (budget, signature guard), and what the rest of the server shares. */
export interface ClusterState extends TenantState {
  readonly mode: ClusterMode;
  /** Replicas sharing the tenant's budget, as last seen (1 in process). */
  readonly replicas: number;
  callerBudget(perSecond: number): CallerBudget;
  /** The level behind the in-process page cache; none in process. */
  sharedPages(options: SharedPagesOptions): SharedPages | null;
  /** Who owns which job, as checks found it, per (app user, job); `identity` names the credentials. */
  ownerMemo(identity: string): OwnerMemo;
  /** Job leases and the relay of what pollers read, so one replica polls each job; none in process. */
  jobSharing<State extends object>(identity: string): JobSharing<State> | null;
  close(): Promise<void>;
}

/** What replicas share their job pollers through: the leases and the relay, for one tenant. */
export interface JobSharing<State extends object> {
  leases: JobLeases;
  relay: JobRelay<State>;
}

export const IN_PROCESS: ClusterState = {
  mode: 'in-process',
  replicas: 1,
  ...IN_PROCESS_TENANT,
  callerBudget: (perSecond) => new LocalCallerBudget(perSecond),
  sharedPages: () => null,
  ownerMemo: () => new LocalOwnerMemo(),
  jobSharing: () => null,
  close: async () => {},
};

/** REDIS_URL, REDIS_KEY_PREFIX and REDIS_TIMEOUT_MS. */
export interface RedisSettings {
  /** redis:// or rediss://, with password and database in the URL. */
  url: string;
  keyPrefix: string;
  /** Longest wait for one command's answer before Redis counts as down. */
  timeoutMs: number;
}

/** The one place these defaults are written; config.ts defaults the environment from it. */
export const REDIS_DEFAULTS = { keyPrefix: 'msol:', timeoutMs: 250 } as const;

interface RedisStateOptions extends RedisSettings {
  /** How often replicas announce themselves (and a down link looks for Redis again). */
  heartbeatMs?: number;
}

export class RedisState implements ClusterState {
  private constructor(
    private readonly link: RedisLink,
    private readonly heartbeat: ReplicaHeartbeat,
  ) {}

  /** Connects and announces this replica; never fails: an unreachable Redis starts it degraded. */
  static async connect({
    url,
    keyPrefix,
    timeoutMs,
    heartbeatMs = HEARTBEAT_DEFAULT_MS,
  }: RedisStateOptions): Promise<RedisState> {
    const link = await RedisLink.connect({ url, keyPrefix, timeoutMs, replicaId: randomUUID() });
    const heartbeat = new ReplicaHeartbeat(link, { intervalMs: heartbeatMs });
    await heartbeat.start();
    return new RedisState(link, heartbeat);
  }

  get mode(): ClusterMode {
    return this.link.up ? 'shared' : 'degraded';
  }

  get replicas(): number {
    return this.heartbeat.live;
  }

  tenantBudget(identity: string, ratePerSecond: number, now?: () => number): TenantBudget {
    return new SharedTenantBudget(this.link, {
      key: `budget:${identity}`,
      ratePerSecond,
      replicas: this.heartbeat,
      now,
    });
  }

  signatureGuard(identity: string, cooldownMs: number): SignatureGuard {
    return new SharedSignatureGuard(this.link, identity, { cooldownMs });
  }

  callerBudget(perSecond: number): CallerBudget {
    return new SharedCallerBudget(this.link, { perSecond, replicas: this.heartbeat });
  }

  sharedPages(options: SharedPagesOptions): SharedPages {
    return new SharedPages(this.link, options);
  }

  ownerMemo(identity: string): OwnerMemo {
    return new SharedOwnerMemo(this.link, identity);
  }

  jobSharing<State extends object>(identity: string): JobSharing<State> {
    return { leases: new JobLeases(this.link, identity), relay: new JobRelay(this.link, identity) };
  }

  async close(): Promise<void> {
    await this.heartbeat.stop();
    this.link.close();
  }
}
