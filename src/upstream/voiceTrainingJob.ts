// ShowVoiceTrainingJob: GET .../jobs/{job_id}, one job's own record, optionally
// as a third-party user sees it (X-App-UserId).
import type { UpstreamOperation } from './operation.js';
import { isRecord } from './opLogPage.js';
import { percentEncode } from './signer.js';
import { parseTrainingJobInfo, type TrainingJobInfo } from './trainingJobInfo.js';

export interface JobRef {
  jobId: string;
  /** Sent as X-App-UserId: MetaStudio answers as that third-party user. */
  appUserId?: string | undefined;
}

export const voiceTrainingJob: UpstreamOperation<JobRef, TrainingJobInfo> = {
  name: 'showVoiceTrainingJob',
  resource: 'job',
  cost: 1,
  request: ({ jobId, appUserId }) => ({ path: `/${percentEncode(jobId)}`, query: '', appUserId }),
  cacheKey: ({ jobId, appUserId }) => JSON.stringify([jobId, appUserId ?? null]),
  parse: (body) =>
    isRecord(body)
      ? { ok: true, value: parseTrainingJobInfo(body) }
      : { ok: false, problem: 'body: expected an object' },
  target: ({ jobId }) => ({ jobId }),
};
