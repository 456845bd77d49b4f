// TrainingJobInfo, the record of one voice-training job that both the job list
// and a job's details carry, checked before use and normalized. Every field may
// be absent; a field sent with a wrong type is kept as a problem of that field
// alone, so only a query that asks for it fails. `phone` is personal data no
// field of ours shows: it is never read, so it is never kept or cached.
import { isRecord, MAX_INT32 } from './opLogPage.js';
import { MAX_EPOCH_MS } from './upstreamTime.js';

export interface AllocatedResource {
  resourceId: string | null;
  chargeMode: string | null;
  /** RFC 3339 as sent. */
  expireTime: string | null;
}

export interface AssessmentMetric {
  /** The `assess_result` property, e.g. snr or dnsmos_ovrl. */
  name: string;
  expected: string | null;
  actual: string | null;
  suggestion: string | null;
  suggestionEn: string | null;
  status: number | null;
}

export interface Assessment {
  suggestion: string | null;
  metrics: AssessmentMetric[];
}

export interface TrainingJobInfo {
  jobId: string | null;
  jobType: string | null;
  appUserId: string | null;
  voiceName: string | null;
  sex: string | null;
  language: string | null;
  outputLanguage: string | null;
  state: string | null;
  rejectTimes: number | null;
  assetId: string | null;
  failedCode: string | null;
  failedReason: string | null;
  /** Raw int64; its unit is undocumented (see upstreamTime.ts). */
  createTime: number | null;
  lastUpdateTime: number | null;
  voiceAuthorizationUrl: string | null;
  trainingInputSourceUrl: string | null;
  createType: string | null;
  tag: string | null;
  dhtmsJobId: string | null;
  batchName: string | null;
  isRemake: boolean | null;
  isOndemandResource: boolean | null;
  allocatedResource: AllocatedResource | null;
  assessment: Assessment | null;
  /** Fields MetaStudio sent unreadable, and what was wrong; absent when none. */
  problems?: Partial<Record<TrainingJobInfoField, string>>;
}

export type TrainingJobInfoField = Exclude<keyof TrainingJobInfo, 'problems'>;

// The documented enums; each may grow, and unknown values must not break a response.
export const JOB_STATES = [
  'CREATING',
  'SYSTEM_AUDITING',
  'AUDITING',
  'WAITING_SPLIT',
  'SPLITTING',
  'SPLIT_FAILED',
  'ANNOTATING',
  'WAITING',
  'PROCESSING',
  'RESULT_REVIEW',
  'AUDIT_FAILED',
  'USER_RESULT_REVIEW',
  'USER_REVIEW_REJECT',
  'UPLOADING',
  'FAILED',
  'SUCCEED',
] as const;
export const JOB_TYPES = ['BASIC', 'MIDDLE', 'ADVANCE', 'THIRD_PARTY', 'THIRD_PARTY_LJZN', 'FLEXUS'] as const;
export const JOB_TAGS = ['ECOMMERCE', 'NEWS', 'MARKETING', 'LIVE', 'EDUCATION', 'CUSTOMER', 'STORYTELLING'] as const;
export const SPEAKER_SEXES = ['FEMALE', 'MALE'] as const;
export const CREATE_TYPES = ['PACKAGE', 'SEGMENT'] as const;
export const CHARGE_MODES = ['PERIODIC', 'ONE_TIME', 'ON_DEMAND'] as const;

/** The assessed properties, in the order they are shown. */
export const ASSESSMENT_METRICS = ['speed', 'sound', 'snr', 'reverb', 'dnsmos_ovrl', 'dnsmos_bak'] as const;

type Check<T> = (value: unknown) => T | undefined;

const string: Check<string> = (value) => (typeof value === 'string' ? value : undefined);
const boolean: Check<boolean> = (value) => (typeof value === 'boolean' ? value : undefined);
const count: Check<number> = (value) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_INT32 ? value : undefined;
/** int64 in the SDK; some gateways send int64 as a decimal string. */
const time: Check<number> = (value) => {
  const number = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 && number <= MAX_EPOCH_MS
    ? number
    : undefined;
};
const integer: Check<number> = (value) => (Number.isSafeInteger(value) ? (value as number) : undefined);
/** Assessment values are undocumented in type: numbers are shown as sent. */
const text: Check<string> = (value) =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

const allocatedResource: Check<AllocatedResource> = (value) => {
  if (!isRecord(value)) return undefined;
  const resourceId = optional(string, value.resource_id);
  const chargeMode = optional(string, value.charge_mode);
  const expireTime = optional(string, value.expire_time);
  if (resourceId === undefined || chargeMode === undefined || expireTime === undefined) return undefined;
  return { resourceId, chargeMode, expireTime };
};

const assessment: Check<Assessment> = (value) => {
  if (!isRecord(value)) return undefined;
  const suggestion = optional(string, value.suggestion);
  if (suggestion === undefined) return undefined;
  const metrics: AssessmentMetric[] = [];
  for (const name of ASSESSMENT_METRICS) {
    const raw = value[name];
    if (raw == null) continue;
    if (!isRecord(raw)) return undefined;
    const metric = {
      name,
      expected: optional(text, raw.expected),
      actual: optional(text, raw.actual),
      suggestion: optional(string, raw.suggestion),
      suggestionEn: optional(string, raw.suggestion_en),
      status: optional(integer, raw.status),
    };
    if (Object.values(metric).includes(undefined)) return undefined;
    metrics.push(metric as AssessmentMetric);
  }
  return { suggestion, metrics };
};

/** null when absent or null; undefined when present with the wrong type. */
function optional<T>(check: Check<T>, value: unknown): T | null | undefined {
  return value == null ? null : check(value);
}

/** Each field: its upstream name and its check. */
const FIELDS: { [F in TrainingJobInfoField]: [wire: string, check: Check<NonNullable<TrainingJobInfo[F]>>] } = {
  jobId: ['job_id', string],
  jobType: ['job_type', string],
  appUserId: ['app_user_id', string],
  voiceName: ['voice_name', string],
  sex: ['sex', string],
  language: ['language', string],
  outputLanguage: ['output_language', string],
  state: ['state', string],
  rejectTimes: ['reject_times', count],
  assetId: ['asset_id', string],
  failedCode: ['job_failed_code', string],
  failedReason: ['job_failed_reason', string],
  createTime: ['create_time', time],
  lastUpdateTime: ['lastupdate_time', time],
  voiceAuthorizationUrl: ['voice_authorization_url', string],
  trainingInputSourceUrl: ['training_input_source_url', string],
  createType: ['create_type', string],
  tag: ['tag', string],
  dhtmsJobId: ['dhtms_job_id', string],
  batchName: ['batch_name', string],
  isRemake: ['is_remake', boolean],
  isOndemandResource: ['is_ondemand_resource', boolean],
  allocatedResource: ['allocated_resource', allocatedResource],
  assessment: ['assess_result', assessment],
};

const EXPECTED = new Map<Check<unknown>, string>([
  [string, 'a string'],
  [boolean, 'a boolean'],
  [count, 'an integer from 0 to 2147483647'],
  [time, 'an epoch time'],
  [allocatedResource, 'an object with string resource_id, charge_mode and expire_time'],
  [assessment, 'an object of assessed properties, each with expected, actual, suggestion, suggestion_en and status'],
]);

const FIELD_NAMES = Object.keys(FIELDS) as TrainingJobInfoField[];

/** The record in `raw`, an object; `where` prefixes the problems, e.g. `jobs[3].`. */
export function parseTrainingJobInfo(raw: Record<string, unknown>, where = ''): TrainingJobInfo {
  const info: Record<string, unknown> = {};
  let problems: Partial<Record<TrainingJobInfoField, string>> | undefined;
  for (const field of FIELD_NAMES) {
    const [wire, check] = FIELDS[field];
    const value = optional(check as Check<unknown>, raw[wire]);
    if (value === undefined) {
      problems ??= {};
      problems[field] = `${where}${wire}: expected ${EXPECTED.get(check as Check<unknown>)}`;
      info[field] = null;
    } else {
      info[field] = value;
    }
  }
  if (problems) info.problems = problems;
  return info as unknown as TrainingJobInfo;
}
