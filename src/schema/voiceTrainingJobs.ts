// Query.voiceTrainingJobs: a page of the tenant's training jobs, filtered and
// sorted by MetaStudio (ListVoiceTrainingJob): one upstream call per page. Each
// job carries its list item, which is its details: its details fields cost
// nothing more, and its createdAt is the listed create_time.
import { invalidResponse } from '../upstream/errors.js';
import type { TrainingJobInfo } from '../upstream/trainingJobInfo.js';
import type { JobListQuery } from '../upstream/voiceTrainingJobs.js';
import { builder } from './builder.js';
import { pageInfoOf, PageInfoRef } from './connection.js';
import { encodeCursor } from './cursor.js';
import { TrainingJobRef, type TrainingJob } from './trainingJob.js';
import { TrainingJobStateRef, TrainingJobTagRef, TrainingJobTypeRef } from './trainingJobDetails.js';
import { upstreamCost } from './upstreamCost.js';
import { assertFilterText, assertJobId, badUserInput, pageSize, resolvePage } from './validation.js';

interface JobPage {
  offset: number;
  count: number;
  /** Jobs MetaStudio put on the page: with scoping, another user's are dropped from `jobs`, not from this. */
  size: number;
  jobs: TrainingJob[];
  /** Each job's place on MetaStudio's page. */
  positions: number[];
}

const VoiceTrainingJobEdgeRef = builder
  .objectRef<{ cursor: string; node: TrainingJob }>('VoiceTrainingJobEdge')
  .implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Opaque; pass it as `after` to continue after this job.' }),
      node: t.field({ type: TrainingJobRef, resolve: (edge) => edge.node }),
    }),
  });

const VoiceTrainingJobConnectionRef = builder.objectRef<JobPage>('VoiceTrainingJobConnection').implement({
  description: 'A page of training jobs, in the order asked for.',
  fields: (t) => ({
    totalCount: t.exposeInt('count', { description: 'How many jobs match the filter in all (the upstream `count`).' }),
    nodes: t.field({ type: [TrainingJobRef], resolve: (page) => page.jobs }),
    edges: t.field({
      type: [VoiceTrainingJobEdgeRef],
      resolve: (page) =>
        page.jobs.map((node, i) => ({ cursor: encodeCursor(page.offset + page.positions[i]!, 'jobs'), node })),
    }),
    pageInfo: t.field({
      type: PageInfoRef,
      // As MetaStudio said, however many jobs were dropped from the page.
      resolve: ({ offset, count, size }) => pageInfoOf(offset, size, count, 'jobs'),
    }),
  }),
});

const VoiceTrainingJobFilterRef = builder.inputType('VoiceTrainingJobFilter', {
  description: 'Each field narrows the list as the upstream parameter of that name does; time bounds are inclusive.',
  fields: (t) => ({
    states: t.field({
      type: [TrainingJobStateRef],
      required: false,
      description: 'Any of these states (`state`, comma-separated). Not empty; not UNKNOWN.',
    }),
    jobId: t.id({ required: false, description: 'One job (`job_id`).' }),
    voiceName: t.string({ required: false, description: 'Jobs of this voice name (`voice_name`).' }),
    jobType: t.field({ type: TrainingJobTypeRef, required: false, description: 'Not UNKNOWN.' }),
    tag: t.field({ type: TrainingJobTagRef, required: false, description: 'Not UNKNOWN.' }),
    batchName: t.string({ required: false, description: '`batch_name`.' }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Created at or after (`create_since`).' }),
    createdBefore: t.field({
      type: 'DateTime',
      required: false,
      description: 'Created at or before (`create_until`).',
    }),
    updatedAfter: t.field({
      type: 'DateTime',
      required: false,
      description: '`stateChangedAt` at or after (`update_since`).',
    }),
    updatedBefore: t.field({
      type: 'DateTime',
      required: false,
      description: '`stateChangedAt` at or before (`update_until`).',
    }),
    onDemand: t.boolean({
      required: false,
      description: 'Pay-per-use jobs only (true) or the others (false) (`is_ondemand_resource`).',
    }),
  }),
});

const VoiceTrainingJobOrderFieldRef = builder.enumType('VoiceTrainingJobOrderField', {
  values: {
    CREATED_AT: { description: 'By creation time (`sort_key=create_time`).' },
    UPDATED_AT: { description: 'By `stateChangedAt` (`sort_key=update_time`).' },
  } as const,
});

const OrderDirectionRef = builder.enumType('OrderDirection', {
  values: { ASC: { description: 'Oldest first.' }, DESC: { description: 'Newest first.' } } as const,
});

const VoiceTrainingJobOrderRef = builder.inputType('VoiceTrainingJobOrder', {
  fields: (t) => ({
    field: t.field({ type: VoiceTrainingJobOrderFieldRef, required: true }),
    direction: t.field({ type: OrderDirectionRef, required: true }),
  }),
});

type Filter = typeof VoiceTrainingJobFilterRef.$inferInput;
type Order = typeof VoiceTrainingJobOrderRef.$inferInput;

const known = <T extends string>(value: T | null | undefined, name: string): T | undefined => {
  if (value === 'UNKNOWN') throw badUserInput(`${name} cannot be UNKNOWN: it matches no job`, name);
  return value ?? undefined;
};
const epochMs = (date: Date | null | undefined) => date?.getTime();

/** The upstream query of a filter, an order and a page; BAD_USER_INPUT before any call. */
function listQuery(
  filter: Filter | null | undefined,
  order: Order | null | undefined,
  page: { offset: number; limit: number },
): JobListQuery {
  const f = filter ?? {};
  if (f.states && f.states.length === 0) throw badUserInput('filter.states must not be empty', 'filter.states');
  for (const state of f.states ?? []) known(state, 'filter.states');
  return {
    ...page,
    states: f.states ?? undefined,
    jobId: f.jobId == null ? undefined : assertJobId(f.jobId, 'filter.jobId'),
    voiceName: f.voiceName == null ? undefined : assertFilterText(f.voiceName, 'filter.voiceName'),
    jobType: known(f.jobType, 'filter.jobType'),
    tag: known(f.tag, 'filter.tag'),
    batchName: f.batchName == null ? undefined : assertFilterText(f.batchName, 'filter.batchName'),
    createdSince: epochMs(f.createdAfter),
    createdUntil: epochMs(f.createdBefore),
    updatedSince: epochMs(f.updatedAfter),
    updatedUntil: epochMs(f.updatedBefore),
    onDemand: f.onDemand ?? undefined,
    sortKey: order?.field === 'UPDATED_AT' ? 'update_time' : 'create_time',
    sortDir: order?.direction === 'ASC' ? 'asc' : 'desc',
  };
}

const listedJob = (info: TrainingJobInfo, index: number): TrainingJob => {
  // A listed job without an id cannot be asked anything else.
  if (info.jobId === null) throw invalidResponse(info.problems?.jobId ?? `jobs[${index}].job_id: missing`, {});
  return { jobId: info.jobId, listed: info };
};

builder.queryFields((t) => ({
  voiceTrainingJobs: t.field({
    type: VoiceTrainingJobConnectionRef,
    nullable: true,
    description:
      "A page of the tenant's training jobs: one upstream call per page. Newest first by default. Page with `offset`/`limit` (default 10) or `first`/`after`, not both; at most 100 a page. The jobs' details fields (`voiceName`, `state`, ...) and `createdAt` cost nothing more; `status` and `operations` cost each job's op-logs call. Nullable: a failed list call nulls this field only.",
    args: {
      filter: t.arg({ type: VoiceTrainingJobFilterRef, required: false }),
      orderBy: t.arg({
        type: VoiceTrainingJobOrderRef,
        required: false,
        description: 'Default: CREATED_AT DESC.',
      }),
      offset: t.arg.int({ required: false, description: 'Jobs to skip: 0 to 2147483647. Default 0.' }),
      limit: t.arg.int({ required: false, description: 'Page size: 1 to 100. Default 10.' }),
      first: t.arg.int({ required: false, description: 'Relay page size: 1 to 100. Default 10.' }),
      after: t.arg.string({ required: false, description: 'Relay cursor from a previous page (`endCursor`).' }),
    },
    extensions: upstreamCost({ calls: () => 1, fanOut: (args) => pageSize(args), lists: true }),
    // With scoping on, asked with the caller's X-App-UserId, and only the caller's jobs kept (scope/jobAccess.ts).
    resolve: async (_root, args, { loaders, scope }) => {
      const page = resolvePage(args, 'jobs');
      const appUserId = scope.kind === 'user' ? scope.appUserId : undefined;
      const query = { ...listQuery(args.filter, args.orderBy, page), appUserId };
      const { count, jobs } = await loaders.jobList.load(query);
      const own = new Set(loaders.access.ownListed(jobs));
      const positions = jobs.flatMap((job, i) => (own.has(job) ? [i] : []));
      return {
        offset: page.offset,
        count,
        size: jobs.length,
        jobs: positions.map((i) => listedJob(jobs[i]!, i)),
        positions,
      };
    },
  }),
}));
