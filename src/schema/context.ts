// What every resolver gets: one request's loaders, and the app's limits that
// the schema (built once per process) cannot hold itself.
import type { Loaders } from '../loaders/createLoaders.js';

export interface Context {
  loaders: Loaders;
  /** The cap on representations in one `_entities` call (ENTITIES_MAX_REPRESENTATIONS). */
  entitiesMaxRepresentations: number;
}
