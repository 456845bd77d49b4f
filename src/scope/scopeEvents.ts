// What object-level authorization reports, on node:diagnostics_channel, for
// metrics and the request log. `requester` is the HTTP request, as upstream
// events carry theirs.
import { Channel } from '../upstream/events.js';

/**
 * Why a caller was refused: no usable app user id (before any upstream call), or
 * a job that is another app user's (answered as an unknown job).
 */
export type ScopeRefusalReason = 'missing_app_user_id' | 'invalid_app_user_id' | 'foreign_job';

interface ScopeRefusalEvent {
  requester?: object | undefined;
  reason: ScopeRefusalReason;
  /** SHA-256 hex of the refused app user id, when the credentials held a string. */
  appUserIdHash?: string | undefined;
  /** The job refused, for `foreign_job`. */
  jobId?: string | undefined;
}

interface AllJobsEvent {
  requester?: object | undefined;
  /** `token`: AUTH_ALL_JOBS_SCOPE in its scope claim; `apikey`: a key bound to `*`. */
  via: 'token' | 'apikey';
}

/** A job on a scoped caller's list page whose app_user_id is not the caller's: MetaStudio did not filter. */
interface ForeignListedEvent {
  requester?: object | undefined;
  jobId: string;
}

export const scopeEvents = {
  refusal: new Channel<ScopeRefusalEvent>('metastudio:scope:refusal'),
  allJobs: new Channel<AllJobsEvent>('metastudio:scope:all-jobs'),
  foreignListed: new Channel<ForeignListedEvent>('metastudio:scope:foreign-listed'),
};
