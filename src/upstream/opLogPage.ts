// The documented 200 body of "query task operation logs", checked before use and
// normalized into the shape the rest of the server works with. Extra fields are
// ignored and any documented field may be missing or null; a wrong type is refused.
import { z } from 'zod';

export const MAX_INT32 = 2147483647;
/** Latest instant a JS Date can hold, in epoch milliseconds. */
const MAX_EPOCH_MS = 8.64e15;

const optionalString = z.string().nullish();

const externalInfoSchema = z.looseObject({
  review_id_list: z.array(z.string()).nullish(),
  algorithm_failure_reason: optionalString,
  admin_audit_failure_reason: optionalString,
});

const operationSchema = z.looseObject({
  time: z.number().int().min(0).max(MAX_EPOCH_MS).nullish(),
  action: optionalString,
  operator: optionalString,
  external_info: externalInfoSchema.nullish(),
});

const pageSchema = z.looseObject({
  count: z.number().int().min(0).max(MAX_INT32).nullish(),
  operations: z.array(operationSchema).nullish(),
});

export interface OpExternalInfo {
  reviewIdList: string[];
  algorithmFailureReason: string | null;
  adminAuditFailureReason: string | null;
}

export interface OperationLog {
  /** Raw upstream value; its unit is undocumented (see toEpochMillis). Null when absent. */
  time: number | null;
  action: string | null;
  operator: string | null;
  externalInfo: OpExternalInfo | null;
}

export interface OpLogPage {
  /** Total operations of the job, as the upstream counts them. */
  count: number;
  operations: OperationLog[];
}

/** Values below 10^11 are epoch seconds (10^11 s is the year 5138); larger ones are milliseconds. */
export function toEpochMillis(time: number): number {
  return time < 1e11 ? time * 1000 : time;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
  return `${path || 'body'}: ${issue.message}`;
}

export type ParseResult = { ok: true; page: OpLogPage } | { ok: false; problem: string };

/**
 * @param offset the requested offset, used to bound `count` when the upstream omits it
 */
export function parseOpLogPage(body: unknown, offset: number): ParseResult {
  const parsed = pageSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return { ok: false, problem: `${describeIssue(issues[0]!)}${more}` };
  }
  const operations = (parsed.data.operations ?? []).map(
    (op): OperationLog => ({
      time: op.time ?? null,
      action: op.action ?? null,
      operator: op.operator ?? null,
      externalInfo: op.external_info
        ? {
            reviewIdList: op.external_info.review_id_list ?? [],
            algorithmFailureReason: op.external_info.algorithm_failure_reason ?? null,
            adminAuditFailureReason: op.external_info.admin_audit_failure_reason ?? null,
          }
        : null,
    }),
  );
  // Without a count the page is all we know of: treat it as the last one.
  const count = parsed.data.count ?? offset + operations.length;
  return { ok: true, page: { count, operations } };
}
