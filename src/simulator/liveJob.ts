// Jobs that progress on their own: `live-<stepMs>-<name>` starts its lifecycle
// at the first request for it and gains the next operation every stepMs, so
// status and subscriptions can be seen without MetaStudio. Derived from the
// clock at request time: no timers.
import type { WireOperation } from './histories.js';

export const MIN_LIVE_STEP_MS = 10;
export const MAX_LIVE_STEP_MS = 3_600_000;

export interface LiveJob {
  stepMs: number;
  steps: readonly Omit<WireOperation, 'time'>[];
}

const reviewIds = ['rv-live-speech-1', 'rv-live-speech-2'];

const COMPLETING: LiveJob['steps'] = [
  { action: 'CREATE_JOB', operator: 'USER', external_info: { review_id_list: [] } },
  { action: 'COMMIT_JOB', operator: 'USER', external_info: { review_id_list: [] } },
  { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: reviewIds } },
  { action: 'ADMIN_AUDIT_PASS', operator: 'ADMIN', external_info: { review_id_list: reviewIds } },
  { action: 'TRAINING_FINISH', operator: 'SYSTEM', external_info: { review_id_list: [] } },
  { action: 'UPLOADING_MODEL', operator: 'SYSTEM', external_info: { review_id_list: [] } },
  { action: 'COMPLETE_JOB', operator: 'SYSTEM', external_info: { review_id_list: [] } },
];

const REJECTED: LiveJob['steps'] = [
  ...COMPLETING.slice(0, 3),
  {
    action: 'AUDIT_NOT_PASS',
    operator: 'ADMIN',
    external_info: {
      review_id_list: reviewIds,
      admin_audit_failure_reason: 'The recordings do not match the speaker named in the authorization letter.',
    },
  },
];

const LIVE_JOB_ID = /^live-([1-9]\d{0,6})-(.+)$/;

/** The live job an id names, or null when it names none (including a step out of range). */
export function parseLiveJobId(jobId: string): LiveJob | null {
  const match = LIVE_JOB_ID.exec(jobId);
  if (!match) return null;
  const stepMs = Number(match[1]);
  if (stepMs < MIN_LIVE_STEP_MS || stepMs > MAX_LIVE_STEP_MS) return null;
  return { stepMs, steps: match[2]!.includes('rejected') ? REJECTED : COMPLETING };
}

/** The operations recorded by `now` for a job started at `startedAt`: the first at once, then one per step. */
export function liveJobHistory(job: LiveJob, startedAt: number, now: number): WireOperation[] {
  const recorded = Math.min(job.steps.length, 1 + Math.floor(Math.max(0, now - startedAt) / job.stepMs));
  return job.steps.slice(0, recorded).map((step, i) => ({ time: startedAt + i * job.stepMs, ...step }));
}
