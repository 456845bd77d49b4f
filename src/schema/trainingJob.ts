// A voice-training job: the federation entity, keyed by jobId, that carries
// its operation log.
import { builder } from './builder.js';
import { OperationLogConnectionRef } from './connection.js';
import { OperationLogItemRef } from './operationLog.js';
import { assertHistoryMax, assertJobId, DEFAULT_HISTORY, MAX_HISTORY, MAX_PAGE_SIZE, resolveWindow } from './validation.js';

export interface TrainingJob {
  jobId: string;
}

export const TrainingJobRef = builder.objectRef<TrainingJob>('TrainingJob').implement({
  description: 'A MetaStudio voice-training job.',
  fields: (t) => ({
    jobId: t.exposeID('jobId', { description: 'The MetaStudio job id.' }),
    operations: t.field({
      type: OperationLogConnectionRef,
      nullable: true,
      description:
        'Nullable on purpose: a failed upstream call nulls this field only. Page with `offset`/`limit` (as the upstream does) or with `first`/`after` (Relay), not both.',
      args: {
        offset: t.arg.int({ required: false, description: 'Operations to skip: 0 to 2147483647. Default 0.' }),
        limit: t.arg.int({ required: false, description: 'Page size: 1 to 100. Default 10.' }),
        first: t.arg.int({ required: false, description: 'Relay page size: 1 to 100. Default 10.' }),
        after: t.arg.string({ required: false, description: 'Relay cursor from a previous page (`endCursor` or an edge cursor).' }),
      },
      resolve: async (job, args, { loaders }) => {
        const window = resolveWindow(job.jobId, args);
        const page = await loaders.opLogWindow.load(window);
        // Never show more than was asked for, whatever the upstream sends.
        return { offset: window.offset, count: page.count, operations: page.operations.slice(0, window.limit) };
      },
    }),
    operationHistory: t.field({
      type: [OperationLogItemRef],
      description: `The whole operation log, oldest first, up to \`max\` operations (at most ${MAX_HISTORY}). One upstream call reads the first page and the count; the other pages are then read at once, within the upstream rate limit. If any page fails, this field fails.`,
      args: {
        max: t.arg.int({ required: false, defaultValue: DEFAULT_HISTORY, description: `Most operations to return: 1 to ${MAX_HISTORY}.` }),
      },
      resolve: async (job, { max }, { loaders }) => {
        const wanted = assertHistoryMax(max ?? DEFAULT_HISTORY);
        const first = await loaders.opLogWindow.load({ jobId: job.jobId, offset: 0, limit: Math.min(MAX_PAGE_SIZE, wanted) });
        const total = Math.min(first.count, wanted);
        const rest: Array<{ jobId: string; offset: number; limit: number }> = [];
        for (let offset = MAX_PAGE_SIZE; offset < total; offset += MAX_PAGE_SIZE) {
          rest.push({ jobId: job.jobId, offset, limit: Math.min(MAX_PAGE_SIZE, total - offset) });
        }
        const pages = await Promise.all(rest.map((window) => loaders.opLogWindow.load(window)));
        return [first, ...pages].flatMap((page) => page.operations).slice(0, wanted);
      },
    }),
  }),
});

builder.asEntity(TrainingJobRef, {
  key: builder.selection<{ jobId: string }>('jobId'),
  // Same rules as on Query fields: a bad id never reaches the upstream. Async, so
  // that a bad representation fails alone instead of the whole _entities list.
  resolveReference: async ({ jobId }) => ({ jobId: assertJobId(jobId, 'representations[].jobId') }),
});
