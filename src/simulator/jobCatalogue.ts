// The simulator's voice-training jobs as the list, details and audit-result
// endpoints show them, in the upstream's wire format, derived from each job's
// log so that every endpoint tells the same story: the state from the newest
// operation, the creation time from the first (its oldest CREATE_JOB), the
// last update from the newest, the rejections counted, and audit results that
// carry the log's rejection reasons. A few jobs add what no log holds (a
// failure in training, an asset id, an assessment, an app user).
import type { WireOperation } from './histories.js';

/** TrainingJobInfo as MetaStudio sends it. */
export type WireJobInfo = Record<string, unknown> & { job_id: string };

// MetaStudio's enums, as the SDK lists them.
const JOB_STATES = [
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
];
const JOB_TYPES = ['BASIC', 'MIDDLE', 'ADVANCE', 'THIRD_PARTY', 'THIRD_PARTY_LJZN', 'FLEXUS'];
const JOB_TAGS = ['ECOMMERCE', 'NEWS', 'MARKETING', 'LIVE', 'EDUCATION', 'CUSTOMER', 'STORYTELLING'];

/** One history keeps its times in epoch seconds, as some API versions send them; the others in milliseconds. */
const epochMs = (time: number) => (time < 1e11 ? time * 1000 : time);

/** MetaStudio's state after each action; an action it does not list leaves a state we do not know either. */
const STATE_AFTER: Record<string, string> = {
  CREATE_JOB: 'CREATING',
  COMMIT_JOB: 'SYSTEM_AUDITING',
  SYSTEM_AUDIT_PASS: 'AUDITING',
  ADMIN_AUDIT_PASS: 'PROCESSING',
  AUDIT_NOT_PASS: 'AUDIT_FAILED',
  TRAINING_FINISH: 'RESULT_REVIEW',
  UPLOADING_MODEL: 'UPLOADING',
  COMPLETE_JOB: 'SUCCEED',
};
/** For an action MetaStudio adds later: a state this server does not know yet. */
const UNLISTED_STATE = 'PAUSED';

const assessment = (snrActual: string, snrStatus: number) => ({
  suggestion: snrStatus === 0 ? 'The recordings are fit for training.' : 'Re-record in a quieter room.',
  speed: { expected: '3.5-5.5', actual: '4.2', suggestion: '语速正常', suggestion_en: 'Normal pace', status: 0 },
  snr: {
    expected: '>=30',
    actual: snrActual,
    suggestion: snrStatus === 0 ? '信噪比正常' : '背景噪声过大',
    suggestion_en: snrStatus === 0 ? 'Clean signal' : 'Too much background noise',
    status: snrStatus,
  },
  dnsmos_ovrl: { expected: '>=3.0', actual: 3.4, suggestion: '音质良好', suggestion_en: 'Good quality', status: 0 },
});

/** What the logs do not say, per job; the rest is derived or a default. */
const EXTRAS: Record<string, Record<string, unknown>> = {
  'job-complete': {
    voice_name: 'Warm narrator',
    job_type: 'MIDDLE',
    app_user_id: 'user-alice',
    tag: 'STORYTELLING',
    batch_name: 'autumn-2026',
    asset_id: 'asset-7c1e0b2d',
    is_ondemand_resource: false,
    allocated_resource: { resource_id: 'res-0042', charge_mode: 'PERIODIC', expire_time: '2027-10-02T00:00:00Z' },
    assess_result: assessment('38.5', 0),
    dhtms_job_id: 'dhtms-5521',
  },
  'job-admin-rejected': {
    voice_name: 'News anchor',
    job_type: 'ADVANCE',
    app_user_id: 'user-bob',
    tag: 'NEWS',
    batch_name: 'autumn-2026',
  },
  'job-algorithm-failed': {
    voice_name: 'Support line',
    app_user_id: 'user-alice',
    tag: 'CUSTOMER',
    assess_result: assessment('21.0', 1),
  },
  'job-training-failed': {
    voice_name: 'Sports caster',
    job_type: 'MIDDLE',
    app_user_id: 'user-bob',
    tag: 'LIVE',
    // MetaStudio's own state: the log has no action for a failure in training.
    state: 'FAILED',
    job_failed_code: 'MSS.20010017',
    job_failed_reason: 'Training did not converge: too few usable sentences after splitting.',
  },
  'job-in-review': { voice_name: 'Shop host', app_user_id: 'user-alice', tag: 'ECOMMERCE', language: 'EN' },
  'job-retrained': { voice_name: 'Teacher', app_user_id: 'user-bob', tag: 'EDUCATION', is_remake: true },
  // Values MetaStudio may add later.
  'job-paused': { voice_name: 'Prototype', job_type: 'STUDIO_PRO', tag: 'GAMING' },
  'job-long-history': { voice_name: 'Stubborn take', batch_name: 'summer-2026' },
};

/** Oldest to newest by time; equal times keep list order. */
function byAge(history: readonly WireOperation[]): WireOperation[] {
  const time = (op: WireOperation) => (op.time === undefined ? Number.NEGATIVE_INFINITY : epochMs(op.time));
  return [...history].sort((a, b) => time(a) - time(b));
}

/** The job's record, as list items and details carry it. */
export function jobInfoOf(jobId: string, history: readonly WireOperation[]): WireJobInfo {
  const aged = byAge(history);
  const newest = aged.at(-1);
  const created = aged.find((op) => op.action === 'CREATE_JOB') ?? aged[0];
  const info: WireJobInfo = {
    job_id: jobId,
    job_type: 'BASIC',
    voice_name: `Voice ${jobId}`,
    sex: 'FEMALE',
    language: 'CN',
    output_language: 'CN',
    state: newest ? (STATE_AFTER[newest.action ?? ''] ?? UNLISTED_STATE) : 'CREATING',
    reject_times: history.filter((op) => op.action === 'AUDIT_NOT_PASS').length,
    create_type: 'SEGMENT',
    tag: 'NEWS',
    is_remake: false,
    is_ondemand_resource: true,
    phone: '+86 138 0000 0000',
    voice_authorization_url: `https://obs.simulator.invalid/authorization/${encodeURIComponent(jobId)}.pdf`,
    training_input_source_url: `https://obs.simulator.invalid/input/${encodeURIComponent(jobId)}.zip`,
    ...EXTRAS[jobId],
  };
  if (created?.time !== undefined) info.create_time = created.time;
  if (newest?.time !== undefined) info.lastupdate_time = newest.time;
  return info;
}

/** The newest review of each kind in the log, as the audit result tells it. */
export function auditResultOf(jobId: string, history: readonly WireOperation[]): Record<string, unknown> {
  const aged = byAge(history);
  const review = (operator: string, pass: string) =>
    aged.filter((op) => op.operator === operator && (op.action === pass || op.action === 'AUDIT_NOT_PASS')).at(-1);
  const result: Record<string, unknown> = {};
  const system = review('SYSTEM', 'SYSTEM_AUDIT_PASS');
  if (system) {
    const reason = system.external_info?.algorithm_failure_reason;
    const ids = system.external_info?.review_id_list ?? [];
    result.system_audit_result = {
      audit_time: system.time,
      errors:
        system.action === 'AUDIT_NOT_PASS'
          ? (ids.length > 0 ? ids : [null]).map((id) => ({
              audio_name: id ? `${id}.wav` : undefined,
              text_name: id ? `${id}.txt` : undefined,
              error_code: 'MSS.10230001',
              error_message: reason,
            }))
          : [],
    };
  }
  const admin = review('ADMIN', 'ADMIN_AUDIT_PASS');
  if (admin) {
    const rejected = admin.action === 'AUDIT_NOT_PASS';
    result.admin_audit_result = {
      audit_time: admin.time,
      message: rejected ? admin.external_info?.admin_audit_failure_reason : 'Approved.',
      ...(rejected
        ? {
            attachment_name: 'review-notes.pdf',
            attachment_url: `https://obs.simulator.invalid/review/${encodeURIComponent(jobId)}/review-notes.pdf`,
          }
        : {}),
    };
  }
  return result;
}

/** The list's query, checked as MetaStudio checks it; a string names the bad parameter. */
export interface ListQuery {
  offset: number;
  limit: number;
  states: string[] | null;
  jobId: string | null;
  voiceName: string | null;
  tag: string | null;
  jobType: string | null;
  batchName: string | null;
  createSince: number | null;
  createUntil: number | null;
  updateSince: number | null;
  updateUntil: number | null;
  onDemand: boolean | null;
  sortKey: 'create_time' | 'update_time';
  sortDir: 'asc' | 'desc';
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

export function parseListQuery(params: URLSearchParams): ListQuery | string {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    return value >= min && value <= max ? value : null;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[]): T | null | undefined => {
    const raw = params.get(name);
    if (raw === null) return null;
    return (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
  };
  const time = (name: string) => {
    const raw = params.get(name);
    if (raw === null) return null;
    return RFC3339.test(raw) ? Date.parse(raw) : undefined;
  };
  const offset = int('offset', 0, 0, 2147483647);
  const limit = int('limit', 10, 1, 100);
  if (offset === null) return 'offset';
  if (limit === null) return 'limit';
  const rawStates = params.get('state');
  const states = rawStates === null ? null : rawStates.split(',');
  if (states?.some((state) => !JOB_STATES.includes(state))) return 'state';
  const tag = oneOf('tag', JOB_TAGS);
  if (tag === undefined) return 'tag';
  const jobType = oneOf('job_type', JOB_TYPES);
  if (jobType === undefined) return 'job_type';
  const onDemand = oneOf('is_ondemand_resource', ['true', 'false']);
  if (onDemand === undefined) return 'is_ondemand_resource';
  const sortKey = oneOf('sort_key', ['create_time', 'update_time'] as const);
  if (sortKey === undefined) return 'sort_key';
  const sortDir = oneOf('sort_dir', ['asc', 'desc'] as const);
  if (sortDir === undefined) return 'sort_dir';
  const times = ['create_since', 'create_until', 'update_since', 'update_until'].map(time);
  const badTime = times.findIndex((value) => value === undefined);
  if (badTime >= 0) return ['create_since', 'create_until', 'update_since', 'update_until'][badTime]!;
  const [createSince, createUntil, updateSince, updateUntil] = times as (number | null)[];
  return {
    offset,
    limit,
    states,
    jobId: params.get('job_id'),
    voiceName: params.get('voice_name'),
    tag,
    jobType,
    batchName: params.get('batch_name'),
    createSince: createSince!,
    createUntil: createUntil!,
    updateSince: updateSince!,
    updateUntil: updateUntil!,
    onDemand: onDemand === null ? null : onDemand === 'true',
    sortKey: sortKey ?? 'create_time',
    sortDir: sortDir ?? 'desc',
  };
}

/** One page of `jobs` under `query`, as MetaStudio answers the list: bounds inclusive, ties by job id. */
export function listPage(jobs: readonly WireJobInfo[], query: ListQuery): { count: number; jobs: WireJobInfo[] } {
  const ms = (value: unknown) => (typeof value === 'number' ? epochMs(value) : null);
  const within = (value: unknown, since: number | null, until: number | null) => {
    const time = ms(value);
    if (since === null && until === null) return true;
    return time !== null && (since === null || time >= since) && (until === null || time <= until);
  };
  const matching = jobs.filter(
    (job) =>
      (query.states === null || query.states.includes(job.state as string)) &&
      (query.jobId === null || job.job_id === query.jobId) &&
      (query.voiceName === null || job.voice_name === query.voiceName) &&
      (query.tag === null || job.tag === query.tag) &&
      (query.jobType === null || job.job_type === query.jobType) &&
      (query.batchName === null || job.batch_name === query.batchName) &&
      (query.onDemand === null || job.is_ondemand_resource === query.onDemand) &&
      within(job.create_time, query.createSince, query.createUntil) &&
      within(job.lastupdate_time, query.updateSince, query.updateUntil),
  );
  const key = query.sortKey === 'create_time' ? 'create_time' : 'lastupdate_time';
  const sign = query.sortDir === 'asc' ? 1 : -1;
  matching.sort(
    (a, b) =>
      sign * ((ms(a[key]) ?? 0) - (ms(b[key]) ?? 0)) || (a.job_id < b.job_id ? -1 : a.job_id > b.job_id ? 1 : 0),
  );
  return { count: matching.length, jobs: matching.slice(query.offset, query.offset + query.limit) };
}
