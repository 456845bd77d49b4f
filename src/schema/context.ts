// What every resolver gets: one request's loaders, and the app's limits that
// the schema (built once per process) cannot hold itself.
import type { LiveJobs } from '../live/liveJobs.js';
import type { Loaders } from '../loaders/createLoaders.js';
import type { CallerScope } from '../scope/callerScope.js';

export interface Context {
  loaders: Loaders;
  /** The cap on representations in one `_entities` call (ENTITIES_MAX_REPRESENTATIONS). */
  entitiesMaxRepresentations: number;
  /** The app's job pollers, for subscriptions. */
  live: LiveJobs;
  /** Who is asking, for per-caller limits: the authenticated caller, else the client address. */
  caller: string;
  /** Whose jobs the caller may read: one app user's, every job (support), or every job with scoping off. */
  scope: CallerScope;
  /**
   * yoga's own: the HTTP request. Its signal ends a subscription as soon as the
   * caller goes away; it tags the subscription's end for the request log (live/liveEvents.ts).
   */
  request: Request;
}
