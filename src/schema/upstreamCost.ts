// What a field costs in upstream calls, declared where the field is defined
// (`extensions: upstreamCost({...})`) and read by the MAX_UPSTREAM_CALLS check
// (security/useUpstreamCallLimit.ts). A field without one costs nothing.
import type { GraphQLField } from 'graphql';

type Args = Record<string, unknown>;

/** Both functions get the field's arguments as its resolver will, defaults included. */
export interface UpstreamCost {
  /** Upstream calls one resolution of the field makes. */
  calls?: (args: Args) => number;
  /** How many objects the field returns, each resolving the selection below it. */
  fanOut?: (args: Args) => number;
  /**
   * Fields that read the same windows through the request's loader name one key:
   * on one object they cost their `calls` once, however many of them are selected.
   */
  sharedAs?: string;
  /** The objects below it are jobs of a job-list page, which carry their own details. */
  lists?: boolean;
  /** Costs nothing on a job of a job-list page (see `lists`): it reads what the list item holds. */
  freeWhenListed?: boolean;
  /**
   * The field reads a job: with scoping on, a job reached by id is first checked
   * to be the caller's, which reads its details once per object (shared with the
   * details fields, `sharedAs: CHECK_SHARED_AS`); a job of the caller's list page is not.
   */
  checked?: boolean;
}

/** The reads a job check shares: the job's details. */
export const CHECK_SHARED_AS = 'jobDetails';

export function upstreamCost(cost: UpstreamCost): { upstreamCost: UpstreamCost } {
  return { upstreamCost: cost };
}

export function upstreamCostOf(field: GraphQLField<unknown, unknown>): UpstreamCost | undefined {
  return field.extensions.upstreamCost as UpstreamCost | undefined;
}

/** Distinct items of a list (or a single value coerced to one), by `key`: the loaders share a repeated job's calls. */
export function distinct(value: unknown, key: (item: unknown) => unknown = (item) => item): number {
  const items = Array.isArray(value) ? value : value == null ? [] : [value];
  return new Set(items.map((item) => JSON.stringify(key(item)) ?? 'undefined')).size;
}
