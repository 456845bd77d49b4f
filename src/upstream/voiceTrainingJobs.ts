// ListVoiceTrainingJob: GET .../jobs?..., one page of the tenant's jobs (or, with
// X-App-UserId, of one third-party user's), filtered and sorted by MetaStudio.
import type { Parsed, UpstreamOperation } from './operation.js';
import { isRecord, MAX_INT32 } from './opLogPage.js';
import { percentEncode } from './signer.js';
import { parseTrainingJobInfo, type TrainingJobInfo } from './trainingJobInfo.js';
import { formatFilterTime } from './upstreamTime.js';

export interface JobListQuery {
  offset: number;
  limit: number;
  /** JobState values, sent comma-separated as `state`. */
  states?: readonly string[] | undefined;
  jobId?: string | undefined;
  voiceName?: string | undefined;
  jobType?: string | undefined;
  tag?: string | undefined;
  batchName?: string | undefined;
  /** Inclusive bounds, epoch milliseconds; sent as upstreamTime.ts formats them. */
  createdSince?: number | undefined;
  createdUntil?: number | undefined;
  updatedSince?: number | undefined;
  updatedUntil?: number | undefined;
  onDemand?: boolean | undefined;
  sortKey?: 'create_time' | 'update_time' | undefined;
  sortDir?: 'asc' | 'desc' | undefined;
  /** Sent as X-App-UserId: only that third-party user's jobs. */
  appUserId?: string | undefined;
}

export interface JobListPage {
  /** Jobs matching the filter, in all. */
  count: number;
  jobs: TrainingJobInfo[];
}

/** The query's parameters by upstream name, absent ones left out. */
function parameters(query: JobListQuery): [string, string][] {
  const time = (ms: number | undefined) => (ms === undefined ? undefined : formatFilterTime(ms));
  const all: [string, string | undefined][] = [
    ['batch_name', query.batchName],
    ['create_since', time(query.createdSince)],
    ['create_until', time(query.createdUntil)],
    ['is_ondemand_resource', query.onDemand === undefined ? undefined : String(query.onDemand)],
    ['job_id', query.jobId],
    ['job_type', query.jobType],
    ['limit', String(query.limit)],
    ['offset', String(query.offset)],
    ['sort_dir', query.sortDir],
    ['sort_key', query.sortKey],
    ['state', query.states?.join(',')],
    ['tag', query.tag],
    ['update_since', time(query.updatedSince)],
    ['update_until', time(query.updatedUntil)],
    ['voice_name', query.voiceName],
  ];
  return all.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

function parseJobListPage(body: unknown, { offset }: JobListQuery): Parsed<JobListPage> {
  if (!isRecord(body)) return { ok: false, problem: 'body: expected an object' };
  const { count, jobs = [] } = body;
  if (count != null && !(Number.isSafeInteger(count) && (count as number) >= 0 && (count as number) <= MAX_INT32)) {
    return { ok: false, problem: 'count: expected an integer from 0 to 2147483647' };
  }
  if (jobs !== null && !Array.isArray(jobs)) return { ok: false, problem: 'jobs: expected an array' };
  const items = (jobs ?? []) as unknown[];
  const index = items.findIndex((item) => !isRecord(item));
  if (index >= 0) return { ok: false, problem: `jobs[${index}]: expected an object` };
  const parsed = items.map((item, i) => parseTrainingJobInfo(item as Record<string, unknown>, `jobs[${i}].`));
  // Without a count the page is all we know of: treat it as the last one.
  return { ok: true, value: { count: (count as number | null | undefined) ?? offset + parsed.length, jobs: parsed } };
}

export const voiceTrainingJobs: UpstreamOperation<JobListQuery, JobListPage> = {
  name: 'listVoiceTrainingJobs',
  resource: 'jobs',
  cost: 1,
  request: (query) => ({
    path: '',
    // Already in name order: the canonical query, and sent the same way.
    query: parameters(query)
      .map(([name, value]) => `${name}=${percentEncode(value)}`)
      .join('&'),
    appUserId: query.appUserId,
  }),
  cacheKey: (query) => JSON.stringify([...parameters(query), query.appUserId ?? null]),
  parse: parseJobListPage,
  target: ({ jobId, offset, limit }) => ({ jobId, offset, limit }),
};
