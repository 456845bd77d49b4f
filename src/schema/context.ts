// What every resolver gets: one request's loaders, and the app's limits that
// the schema (built once per process) cannot hold itself.
import type { LiveJobs } from '../live/liveJobs.js';
import type { Loaders } from '../loaders/createLoaders.js';

export interface Context {
  loaders: Loaders;
  /** The cap on representations in one `_entities` call (ENTITIES_MAX_REPRESENTATIONS). */
  entitiesMaxRepresentations: number;
  /** The app's job pollers, for subscriptions. */
  live: LiveJobs;
  /** Who is asking, for per-caller limits: the authenticated caller, else the client address. */
  caller: string;
  /** Aborted when the caller goes away: ends its subscription at once, not at the stream's next write. */
  signal: AbortSignal;
  /** Who the request's subscriptions belong to (the HTTP request), for the request log (live/liveEvents.ts). */
  requester: object;
}
