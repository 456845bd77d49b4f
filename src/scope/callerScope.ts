// Whose jobs a caller may read (object-level authorization, docs/security.md):
// every job when scoping is off, every job with the support scope, else only
// the jobs of one MetaStudio app user. Authentication decides it; the schema
// and the loaders enforce it.
import { createHash } from 'node:crypto';

export type CallerScope =
  /** Scoping is off (the default): every authenticated caller reads every job. */
  | { kind: 'off' }
  /** Support: AUTH_ALL_JOBS_SCOPE in the token, or an API key bound to `*`; no X-App-UserId, no check. */
  | { kind: 'all' }
  /** An end user: only the jobs whose details say `app_user_id` is this. */
  | { kind: 'user'; appUserId: string };

export const SCOPING_OFF: CallerScope = { kind: 'off' };

/**
 * Our rule for an app user id MetaStudio may receive (it documents only "no
 * Chinese characters"): 1 to 64 printable ASCII characters, no spaces, so
 * nothing a header line could be split on either.
 */
export const APP_USER_ID_RULE = /^[\x21-\x7e]{1,64}$/;
export const APP_USER_ID_RULE_TEXT = '1 to 64 printable ASCII characters without spaces';

/** How an app user id appears in logs: its SHA-256 hex, as API keys and the AK are named, never in clear. */
export function appUserIdHash(appUserId: string): string {
  return createHash('sha256').update(appUserId).digest('hex');
}
