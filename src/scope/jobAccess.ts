// Whether a job reached by id is the caller's, decided once per job per
// request before any field of it is read (docs/security.md#object-level-authorization).
// The job is the caller's only if its details' app_user_id is the caller's app
// user id; another user's job is answered exactly as a job MetaStudio does not
// know. Decisions are remembered per (app user, job) in the owner memo.
import { unknownJob, UpstreamError } from '../upstream/errors.js';
import { appUserIdHash, type CallerScope } from './callerScope.js';
import type { OwnerMemo, Ownership } from './ownerMemo.js';
import { scopeEvents } from './scopeEvents.js';

/** The job's `app_user_id` from its details, read with the caller's X-App-UserId; rejects as the details call does. */
export type OwnerLookup = (jobId: string, appUserId: string) => Promise<string | undefined>;

export interface JobAccessSettings {
  /** How long a confirmed owner is remembered (OWNERSHIP_TTL_MS). */
  ownershipTtlMs: number;
  /** How long an unknown job's answer is kept (the details page's cache TTL); a refusal is kept exactly as long. */
  refusalTtlMs: number;
}

/** The one place this default is written; config.ts defaults OWNERSHIP_TTL_MS from it. */
export const OWNERSHIP_DEFAULTS = { ttlMs: 600_000 } as const;

const ALLOWED = Promise.resolve();

/** MetaStudio's answers that mean "not for you": an unknown job, or a 403/404 to a mismatched X-App-UserId. */
function isUnknown(error: unknown): boolean {
  return error instanceof UpstreamError && (error.code === 'UPSTREAM_NOT_FOUND' || error.code === 'UPSTREAM_FORBIDDEN');
}

export class JobAccess {
  /** This request's decisions, by job id. */
  private readonly decided = new Map<string, Promise<void>>();

  constructor(
    private readonly scope: CallerScope,
    private readonly memo: OwnerMemo,
    private readonly lookup: OwnerLookup,
    private readonly settings: JobAccessSettings,
    /** Whose request this is, for the refusal's events (the HTTP request). */
    private readonly requester?: object,
  ) {}

  /** Whether reads wait for checks: the caller is one app user. */
  get checks(): boolean {
    return this.scope.kind === 'user';
  }

  /** Resolves when the caller may read the job; rejects exactly as for a job MetaStudio does not know. */
  check(jobId: string): Promise<void> {
    if (this.scope.kind !== 'user') return ALLOWED;
    let decision = this.decided.get(jobId);
    if (!decision) {
      decision = this.decide(this.scope.appUserId, jobId);
      this.decided.set(jobId, decision);
    }
    return decision;
  }

  /**
   * For a batch of reads: the refusal of each job that is not the caller's, once
   * every check is done.
   */
  refusals(jobIds: readonly string[]): Promise<Array<Error | undefined>> {
    return Promise.all(
      jobIds.map((jobId) =>
        this.check(jobId).then(
          () => undefined,
          (error: Error) => error,
        ),
      ),
    );
  }

  /**
   * The jobs of a list page MetaStudio answered for the caller's X-App-UserId that
   * are the caller's, each confirmed for this request and the memo. Another's job
   * (MetaStudio did not filter) is dropped and reported; so is one without an id
   * or owner, which cannot be checked. Every job passes when nothing is checked.
   */
  ownListed<T extends { jobId: string | null; appUserId: string | null }>(jobs: readonly T[]): T[] {
    if (this.scope.kind !== 'user') return [...jobs];
    const { appUserId } = this.scope;
    return jobs.filter(({ jobId, appUserId: owner }) => {
      if (jobId === null || owner !== appUserId) {
        scopeEvents.foreignListed.publish({ requester: this.requester, jobId: jobId ?? '' });
        return false;
      }
      this.decided.set(jobId, ALLOWED);
      void this.memo.set(appUserId, jobId, 'owner', this.settings.ownershipTtlMs);
      return true;
    });
  }

  private async decide(appUserId: string, jobId: string): Promise<void> {
    let ownership = await this.memo.get(appUserId, jobId);
    if (!ownership) {
      ownership = await this.lookup(jobId, appUserId).then(
        (owner): Ownership => (owner === appUserId ? 'owner' : 'foreign'),
        (error: unknown): Ownership => {
          if (isUnknown(error)) return 'unknown';
          throw error;
        },
      );
      const ttlMs = ownership === 'owner' ? this.settings.ownershipTtlMs : this.settings.refusalTtlMs;
      await this.memo.set(appUserId, jobId, ownership, ttlMs);
    }
    if (ownership === 'owner') return;
    if (ownership === 'foreign') {
      scopeEvents.refusal.publish({
        requester: this.requester,
        reason: 'foreign_job',
        appUserIdHash: appUserIdHash(appUserId),
        jobId,
      });
    }
    throw unknownJob();
  }
}
