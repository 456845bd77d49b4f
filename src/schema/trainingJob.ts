// A voice-training job: the federation entity, keyed by jobId, that carries
// its operation log, and the Query fields that return it.
import type { Loaders } from '../loaders/createLoaders.js';
import type { OpLogWindow } from '../upstream/opLogs.js';
import { MAX_UPSTREAM_PAGE } from '../upstream/opLogPage.js';
import type { TrainingJobInfo } from '../upstream/trainingJobInfo.js';
import { builder } from './builder.js';
import { OperationLogConnectionRef } from './connection.js';
import { OperationLogItemRef } from './operationLog.js';
import { distinct, upstreamCost } from './upstreamCost.js';
import {
  assertHistoryMax,
  assertJobId,
  assertJobIds,
  DEFAULT_HISTORY,
  MAX_HISTORY,
  MAX_JOB_IDS,
  resolveWindow,
} from './validation.js';

export interface TrainingJob {
  jobId: string;
  /** A subscription event's job reads through loaders of its own, which hold what the job's poller read. */
  loaders?: Loaders;
  /** A job from a voiceTrainingJobs page: its list item, which holds its details (and its creation time). */
  listed?: TrainingJobInfo;
}

/** Upstream pages operationHistory(max) reads; none when `max` is out of range (refused before any call). */
function historyPages(max: unknown): number {
  const wanted = max == null ? DEFAULT_HISTORY : Number(max);
  return Number.isInteger(wanted) && wanted >= 1 && wanted <= MAX_HISTORY ? Math.ceil(wanted / MAX_UPSTREAM_PAGE) : 0;
}

const listLength = (value: unknown): number => (Array.isArray(value) ? value.length : value == null ? 0 : 1);

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
        after: t.arg.string({
          required: false,
          description: 'Relay cursor from a previous page (`endCursor` or an edge cursor).',
        }),
      },
      extensions: upstreamCost({ calls: () => 1, checked: true }),
      resolve: async (job, args, context) => {
        const loaders = job.loaders ?? context.loaders;
        const window = resolveWindow(job.jobId, args);
        // The loader hands back no more than the window, whatever the upstream sends.
        const page = await loaders.opLogWindow.load(window);
        return { offset: window.offset, count: page.count, operations: page.operations };
      },
    }),
    operationHistory: t.field({
      type: [OperationLogItemRef],
      description: `The whole operation log, oldest first, up to \`max\` operations (at most ${MAX_HISTORY}). One upstream call reads the first page and the count; the other pages are then read at once, within the upstream rate limit. If any page fails, this field fails.`,
      // One call per upstream page of the history it may read.
      extensions: upstreamCost({ calls: ({ max }) => historyPages(max), checked: true }),
      args: {
        max: t.arg.int({
          required: false,
          defaultValue: DEFAULT_HISTORY,
          description: `Most operations to return: 1 to ${MAX_HISTORY}.`,
        }),
      },
      resolve: async (job, { max }, context) => {
        const loaders = job.loaders ?? context.loaders;
        const wanted = assertHistoryMax(max ?? DEFAULT_HISTORY);
        const first = await loaders.opLogWindow.load({
          jobId: job.jobId,
          offset: 0,
          limit: Math.min(MAX_UPSTREAM_PAGE, wanted),
        });
        const total = Math.min(first.count, wanted);
        const rest: OpLogWindow[] = [];
        for (let offset = MAX_UPSTREAM_PAGE; offset < total; offset += MAX_UPSTREAM_PAGE) {
          rest.push({ jobId: job.jobId, offset, limit: Math.min(MAX_UPSTREAM_PAGE, total - offset) });
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

builder.queryFields((t) => ({
  trainingJob: t.field({
    type: TrainingJobRef,
    // Nullable so that a failure inside one job (operationHistory is non-null) does not null the whole response.
    nullable: true,
    description:
      'One training job by id. No upstream call is made until a field that reads its log is asked for. Null only when a non-null field inside it failed.',
    args: { jobId: t.arg.id({ required: true }) },
    resolve: (_root, { jobId }) => ({ jobId: assertJobId(jobId) }),
  }),
  trainingJobs: t.field({
    type: [TrainingJobRef],
    nullable: { list: false, items: true },
    description: `Several training jobs, in the order given, duplicates kept (at most ${MAX_JOB_IDS} ids). Their operation logs are fetched in one batch. An item is null only when a non-null field inside it failed.`,
    args: { jobIds: t.arg.idList({ required: true }) },
    // Each distinct job resolves the selection below it once; over MAX_JOB_IDS ids is refused before any call.
    extensions: upstreamCost({ fanOut: ({ jobIds }) => (listLength(jobIds) > MAX_JOB_IDS ? 0 : distinct(jobIds)) }),
    resolve: (_root, { jobIds }) => assertJobIds(jobIds).map((jobId) => ({ jobId })),
  }),
}));
