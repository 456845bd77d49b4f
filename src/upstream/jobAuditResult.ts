// ShowJobAuditResult: GET .../jobs/{job_id}/audit-result, the reviews behind a
// job's rejection (or approval). Either part may be absent: not reviewed yet.
// A part sent unreadable is a problem of that part alone.
import type { Parsed, UpstreamOperation } from './operation.js';
import { isRecord } from './opLogPage.js';
import { percentEncode } from './signer.js';
import { MAX_EPOCH_MS } from './upstreamTime.js';

export interface ReviewProblem {
  audioName: string | null;
  textName: string | null;
  code: string | null;
  message: string | null;
}

export interface SystemReview {
  /** Raw int64 `audit_time` (see upstreamTime.ts). */
  auditTime: number | null;
  problems: ReviewProblem[];
}

export interface AdminReview {
  auditTime: number | null;
  message: string | null;
  attachmentName: string | null;
  attachmentUrl: string | null;
}

export interface AuditResult {
  systemReview: SystemReview | null;
  adminReview: AdminReview | null;
  problems?: Partial<Record<'systemReview' | 'adminReview', string>>;
}

const str = (value: unknown): string | null | undefined =>
  value == null ? null : typeof value === 'string' ? value : undefined;
const auditTime = (value: unknown): number | null | undefined => {
  if (value == null) return null;
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return Number.isSafeInteger(number) && (number as number) >= 0 && (number as number) <= MAX_EPOCH_MS
    ? (number as number)
    : undefined;
};
const defined = (values: unknown[]) => !values.includes(undefined);

function systemReview(raw: Record<string, unknown>): SystemReview | undefined {
  const time = auditTime(raw.audit_time);
  const errors = raw.errors ?? [];
  if (!Array.isArray(errors)) return undefined;
  const problems: ReviewProblem[] = [];
  for (const error of errors) {
    if (!isRecord(error)) return undefined;
    const problem = {
      audioName: str(error.audio_name),
      textName: str(error.text_name),
      code: str(error.error_code),
      message: str(error.error_message),
    };
    if (!defined(Object.values(problem))) return undefined;
    problems.push(problem as ReviewProblem);
  }
  return time === undefined ? undefined : { auditTime: time, problems };
}

function adminReview(raw: Record<string, unknown>): AdminReview | undefined {
  const review = {
    auditTime: auditTime(raw.audit_time),
    message: str(raw.message),
    attachmentName: str(raw.attachment_name),
    attachmentUrl: str(raw.attachment_url),
  };
  return defined(Object.values(review)) ? (review as AdminReview) : undefined;
}

function parseAuditResult(body: unknown): Parsed<AuditResult> {
  if (!isRecord(body)) return { ok: false, problem: 'body: expected an object' };
  const result: AuditResult = { systemReview: null, adminReview: null };
  const parts = [
    ['systemReview', 'system_audit_result', systemReview],
    ['adminReview', 'admin_audit_result', adminReview],
  ] as const;
  for (const [field, wire, parse] of parts) {
    const raw = body[wire];
    if (raw == null) continue;
    const part = isRecord(raw) ? parse(raw) : undefined;
    if (part === undefined) {
      result.problems ??= {};
      result.problems[field] = `${wire}: not the documented shape`;
    } else {
      (result as Record<typeof field, unknown>)[field] = part;
    }
  }
  return { ok: true, value: result };
}

export const jobAuditResult: UpstreamOperation<{ jobId: string }, AuditResult> = {
  name: 'showJobAuditResult',
  resource: 'audit-result',
  cost: 1,
  request: ({ jobId }) => ({ path: `/${percentEncode(jobId)}/audit-result`, query: '' }),
  cacheKey: ({ jobId }) => JSON.stringify([jobId]),
  parse: parseAuditResult,
  target: ({ jobId }) => ({ jobId }),
};
