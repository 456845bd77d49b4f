// Argument rules, checked before any upstream call. A bad argument is a
// BAD_USER_INPUT error that names the argument; the upstream never sees it,
// so it can neither fail a signature nor spend the tenant's rate limit.
import { createGraphQLError } from 'graphql-yoga';
import type { OpLogWindow } from '../upstream/opLogs.js';
import { MAX_INT32, MAX_UPSTREAM_PAGE } from '../upstream/opLogPage.js';
import { decodeCursor, type CursorKind } from './cursor.js';

const MAX_JOB_ID_LENGTH = 128;
export const MAX_JOB_IDS = 100;
const DEFAULT_PAGE_SIZE = 10;
const MAX_FILTER_TEXT = 256;
export const DEFAULT_HISTORY = 1000;
/** operationHistory reads at most this many operations: 50 upstream pages. */
export const MAX_HISTORY = 5000;

export function badUserInput(message: string, argumentName?: string) {
  return createGraphQLError(message, {
    extensions: argumentName ? { code: 'BAD_USER_INPUT', argumentName } : { code: 'BAD_USER_INPUT' },
  });
}

// C0 and C1 control characters and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// Bidirectional embeddings, overrides and isolates: they make an id read differently from what it is.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// Half of a UTF-16 pair on its own: it has no UTF-8 form, so it cannot be percent-encoded.
const LONE_SURROGATE = /\p{Cs}/u;

function jobIdProblem(jobId: unknown): string | null {
  if (typeof jobId !== 'string') return 'must be a string';
  if (jobId.length === 0) return 'must not be empty';
  if (jobId.length > MAX_JOB_ID_LENGTH) return `must be at most ${MAX_JOB_ID_LENGTH} characters`;
  if (jobId.includes('/')) return 'must not contain "/"';
  if (CONTROL_CHARACTER.test(jobId)) return 'must not contain control characters';
  if (BIDI_CONTROL.test(jobId)) return 'must not contain bidirectional control characters';
  if (jobId.trim() === '') return 'must not be only whitespace';
  if (jobId === '.' || jobId === '..') return 'must not be "." or ".."';
  if (LONE_SURROGATE.test(jobId)) return 'must be valid Unicode text';
  return null;
}

/** Job ids travel as one path segment, so anything that could change the path is refused. */
export function assertJobId(jobId: unknown, argumentName = 'jobId'): string {
  const problem = jobIdProblem(jobId);
  if (problem) throw badUserInput(`Invalid job id: ${argumentName} ${problem}`, argumentName);
  return jobId as string;
}

export function assertJobIds(jobIds: readonly string[]): readonly string[] {
  if (jobIds.length > MAX_JOB_IDS) {
    throw badUserInput(`jobIds accepts at most ${MAX_JOB_IDS} ids (got ${jobIds.length})`, 'jobIds');
  }
  for (const [i, id] of jobIds.entries()) assertJobId(id, `jobIds[${i}]`);
  return jobIds;
}

export interface WindowArgs {
  offset?: number | null;
  limit?: number | null;
  first?: number | null;
  after?: string | null;
}

function inRange(name: string, value: number, min: number, max: number): number {
  if (value < min || value > max) throw badUserInput(`${name} must be between ${min} and ${max} (got ${value})`, name);
  return value;
}

/** Turns either pagination form into the upstream's offset and limit, for a list whose cursors are of `kind`. */
export function resolvePage(args: WindowArgs, kind: CursorKind): { offset: number; limit: number } {
  const offsetForm = args.offset != null || args.limit != null;
  const relayForm = args.first != null || args.after != null;
  if (offsetForm && relayForm) {
    throw badUserInput('Use either offset/limit or first/after, not both', args.offset != null ? 'offset' : 'limit');
  }
  if (relayForm) {
    const first = inRange('first', args.first ?? DEFAULT_PAGE_SIZE, 1, MAX_UPSTREAM_PAGE);
    if (args.after == null) return { offset: 0, limit: first };
    // The last position has no "after" within the upstream's offset range.
    const position = decodeCursor(args.after, MAX_INT32 - 1, kind);
    if (position === null) throw badUserInput('after is not a cursor issued by this server', 'after');
    return { offset: position + 1, limit: first };
  }
  return {
    offset: inRange('offset', args.offset ?? 0, 0, MAX_INT32),
    limit: inRange('limit', args.limit ?? DEFAULT_PAGE_SIZE, 1, MAX_UPSTREAM_PAGE),
  };
}

/** A window of a job's log, from either pagination form. */
export function resolveWindow(jobId: string, args: WindowArgs): OpLogWindow {
  return { jobId, ...resolvePage(args, 'oplog') };
}

/** The page size either pagination form asks for, as MAX_UPSTREAM_CALLS counts it (0 when refused). */
export function pageSize(args: WindowArgs): number {
  const size = args.limit ?? args.first ?? DEFAULT_PAGE_SIZE;
  return Number.isInteger(size) && size >= 1 && size <= MAX_UPSTREAM_PAGE ? size : 0;
}

/**
 * A free-text filter value: sent as a query parameter, so it must have a UTF-8
 * form and no control characters; at most MAX_FILTER_TEXT characters.
 */
export function assertFilterText(value: string, argumentName: string): string {
  if (value.length === 0 || value.length > MAX_FILTER_TEXT) {
    throw badUserInput(`${argumentName} must be 1 to ${MAX_FILTER_TEXT} characters`, argumentName);
  }
  if (CONTROL_CHARACTER.test(value) || LONE_SURROGATE.test(value)) {
    throw badUserInput(`${argumentName} must be text without control characters`, argumentName);
  }
  return value;
}

export function assertHistoryMax(max: number): number {
  if (max < 1 || max > MAX_HISTORY) {
    throw badUserInput(
      `max must be between 1 and ${MAX_HISTORY} (got ${max}); for more, page with operations(offset, limit)`,
      'max',
    );
  }
  return max;
}
