// ListJobOperationLog: GET .../jobs/{job_id}/op-logs?offset=&limit=, one window of a job's log.
import type { UpstreamOperation } from './operation.js';
import { parseOpLogPage, type OpLogPage } from './opLogPage.js';
import { percentEncode } from './signer.js';

export interface OpLogWindow {
  jobId: string;
  offset: number;
  limit: number;
}

export const opLogs: UpstreamOperation<OpLogWindow, OpLogPage> = {
  name: 'listOperationLogs',
  resource: 'op-logs',
  cost: 1,
  request: ({ jobId, offset, limit }) => ({
    path: `/${percentEncode(jobId)}/op-logs`,
    query: `limit=${limit}&offset=${offset}`,
    wireQuery: `offset=${offset}&limit=${limit}`,
  }),
  cacheKey: ({ jobId, offset, limit }) => JSON.stringify([jobId, offset, limit]),
  parse: (body, { offset }) => {
    const parsed = parseOpLogPage(body, offset);
    return parsed.ok ? { ok: true, value: parsed.page } : parsed;
  },
  // The window itself: its events carry jobId, offset and limit.
  target: (window) => window,
};
