// The documented 200 body of "query task operation logs", checked before use and
// normalized into the shape the rest of the server works with. Extra fields are
// ignored and any documented field may be missing or null. A wrong type in the
// page itself refuses the page; a wrong type in one operation's field is kept as
// a problem of that field alone, so only a query that asks for it fails.
// The zod schemas below are the rules and write the problems; plain checks
// that accept only what they accept let the usual, well-formed body through
// without a zod pass per field (four per operation, ten operations a page).
import { z } from 'zod';
import { MAX_EPOCH_MS } from './upstreamTime.js';

export const MAX_INT32 = 2147483647;
/** The upstream's largest page (`limit` 1 to 100). */
export const MAX_UPSTREAM_PAGE = 100;

const optionalString = z.string().nullish();

const operationFields = {
  // int64 in every SDK; some gateways send int64 as a decimal string.
  time: z
    .union([
      z.number().int(),
      z
        .string()
        .regex(/^\d{1,16}$/, 'expected an integer')
        .transform(Number),
    ])
    .pipe(z.number().min(0).max(MAX_EPOCH_MS))
    .nullish(),
  action: optionalString,
  operator: optionalString,
  external_info: z
    .looseObject({
      review_id_list: z.array(z.string().nullable()).nullish(),
      algorithm_failure_reason: optionalString,
      admin_audit_failure_reason: optionalString,
    })
    .nullish(),
};

const pageSchema = z.looseObject({
  count: z.number().int().min(0).max(MAX_INT32).nullish(),
  operations: z.array(z.looseObject({})).nullish(),
});

export type OperationField = 'time' | 'action' | 'operator' | 'externalInfo';

/** The documented `action` values. */
export const OPERATION_ACTIONS = [
  'CREATE_JOB',
  'COMMIT_JOB',
  'SYSTEM_AUDIT_PASS',
  'ADMIN_AUDIT_PASS',
  'AUDIT_NOT_PASS',
  'TRAINING_FINISH',
  'UPLOADING_MODEL',
  'COMPLETE_JOB',
] as const;
/** The documented `operator` values. */
export const OPERATION_OPERATORS = ['USER', 'ADMIN', 'SYSTEM'] as const;

export type Action = (typeof OPERATION_ACTIONS)[number] | 'UNKNOWN';
export type Operator = (typeof OPERATION_OPERATORS)[number] | 'UNKNOWN';

/** Values the upstream adds later, or leaves out, become UNKNOWN instead of failing. */
export function knownValue<T extends string>(values: readonly T[], raw: string | null): T | 'UNKNOWN' {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : 'UNKNOWN';
}

export interface OpExternalInfo {
  reviewIdList: string[];
  algorithmFailureReason: string | null;
  adminAuditFailureReason: string | null;
}

export interface OperationLog {
  /** Raw upstream value; its unit is undocumented (see upstreamTime.ts). Null when absent. */
  time: number | null;
  action: string | null;
  operator: string | null;
  externalInfo: OpExternalInfo | null;
  /** Fields the upstream sent with a wrong type, and what was wrong; absent when none. */
  problems?: Partial<Record<OperationField, string>>;
}

export interface OpLogPage {
  /** Total operations of the job, as the upstream counts them. */
  count: number;
  operations: OperationLog[];
}

function describeIssue(issue: z.core.$ZodIssue, prefix = ''): string {
  const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  return `${`${prefix}${path}`.replace(/^\./, '') || 'body'}: ${issue.message}`;
}

export type ParseResult = { ok: true; page: OpLogPage } | { ok: false; problem: string };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isIntIn = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
const isOptionalString = (value: unknown): value is string | null | undefined =>
  value == null || typeof value === 'string';

interface WireExternalInfo {
  review_id_list?: (string | null)[] | null;
  algorithm_failure_reason?: string | null;
  admin_audit_failure_reason?: string | null;
}

/** An external_info whose fields are well-formed, as the schema gives it. */
function externalInfoOf(info: WireExternalInfo): OpExternalInfo {
  return {
    reviewIdList: (info.review_id_list ?? []).filter((id): id is string => id !== null),
    algorithmFailureReason: info.algorithm_failure_reason ?? null,
    adminAuditFailureReason: info.admin_audit_failure_reason ?? null,
  };
}

/** The operation when every field is plainly well-formed (time a number, no decimal string); else undefined. */
function wellFormedOperation(raw: Record<string, unknown>): OperationLog | undefined {
  const { time, action, operator, external_info: info } = raw;
  if (!(time == null || isIntIn(time, MAX_EPOCH_MS)) || !isOptionalString(action) || !isOptionalString(operator))
    return undefined;
  let externalInfo: OpExternalInfo | null = null;
  if (info != null) {
    if (!isRecord(info)) return undefined;
    const { review_id_list: ids, algorithm_failure_reason: algorithm, admin_audit_failure_reason: admin } = info;
    const idsWellFormed =
      ids == null || (Array.isArray(ids) && ids.every((id) => id === null || typeof id === 'string'));
    if (!idsWellFormed || !isOptionalString(algorithm) || !isOptionalString(admin)) return undefined;
    externalInfo = externalInfoOf(info as WireExternalInfo);
  }
  return { time: time ?? null, action: action ?? null, operator: operator ?? null, externalInfo };
}

function parseOperation(raw: Record<string, unknown>, index: number): OperationLog {
  const wellFormed = wellFormedOperation(raw);
  if (wellFormed) return wellFormed;
  const problems: Partial<Record<OperationField, string>> = {};
  const field = <T>(schema: z.ZodType<T>, key: string, name: OperationField): NonNullable<T> | null => {
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) return parsed.data ?? null;
    problems[name] = describeIssue(parsed.error.issues[0]!, `operations[${index}].${key}`);
    return null;
  };
  const info = field(operationFields.external_info, 'external_info', 'externalInfo');
  const op: OperationLog = {
    time: field(operationFields.time, 'time', 'time'),
    action: field(operationFields.action, 'action', 'action'),
    operator: field(operationFields.operator, 'operator', 'operator'),
    externalInfo: info ? externalInfoOf(info) : null,
  };
  if (Object.keys(problems).length > 0) op.problems = problems;
  return op;
}

/**
 * @param offset the requested offset, used to bound `count` when the upstream omits it
 */
export function parseOpLogPage(body: unknown, offset: number): ParseResult {
  let page: { count?: number | null | undefined; operations?: Record<string, unknown>[] | null | undefined };
  if (
    isRecord(body) &&
    (body.count == null || isIntIn(body.count, MAX_INT32)) &&
    (body.operations == null || (Array.isArray(body.operations) && body.operations.every(isRecord)))
  ) {
    page = body as typeof page;
  } else {
    const parsed = pageSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
      return { ok: false, problem: `${describeIssue(issues[0]!)}${more}` };
    }
    page = parsed.data;
  }
  const operations = (page.operations ?? []).map(parseOperation);
  // Without a count the page is all we know of: treat it as the last one.
  const count = page.count ?? offset + operations.length;
  return { ok: true, page: { count, operations } };
}
