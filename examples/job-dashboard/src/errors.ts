// GraphQL errors as the page shows them: on the job they belong to, with their code.
import type { CombinedError } from 'urql';

export interface Problem {
  message: string;
  code: string | null;
}

interface PathedError {
  message: string;
  path?: readonly (string | number)[] | undefined;
  extensions?: { code?: unknown } | undefined;
}

/** Each distinct message once: a failed upstream call fails every field that needed it. */
function distinct(errors: readonly PathedError[]): Problem[] {
  const problems = new Map<string, Problem>();
  for (const { message, extensions } of errors) {
    const code = typeof extensions?.code === 'string' ? extensions.code : null;
    problems.set(`${code} ${message}`, { message, code });
  }
  return [...problems.values()];
}

/**
 * The errors of item `index` of a list field, e.g. trainingJobs[2], that `keep` accepts by the item's field
 * they are on (undefined: the item itself).
 */
export function itemProblems(
  error: CombinedError | undefined,
  field: string,
  index: number,
  keep: (itemField: string | number | undefined) => boolean = () => true,
): Problem[] {
  return distinct(
    (error?.graphQLErrors ?? []).filter((e) => e.path?.[0] === field && e.path[1] === index && keep(e.path[2])),
  );
}

/** The network failure first, if any, then the distinct GraphQL errors that `keep` accepts. */
function problemsOf(
  error: CombinedError | undefined,
  keep: (e: CombinedError['graphQLErrors'][number]) => boolean,
): Problem[] {
  if (!error) return [];
  const graphql = distinct(error.graphQLErrors.filter(keep));
  return error.networkError ? [{ message: error.networkError.message, code: null }, ...graphql] : graphql;
}

/** Whatever is not about one item: a refused request, a network failure, a bad argument. */
export function requestProblems(error: CombinedError | undefined, field: string): Problem[] {
  return problemsOf(error, (e) => !(e.path?.[0] === field && typeof e.path[1] === 'number'));
}

/** Every error of a result. */
export function allProblems(error: CombinedError | undefined): Problem[] {
  return problemsOf(error, () => true);
}
