import { builder } from './builder.js';
import { TrainingJobRef } from './trainingJob.js';
import { assertJobId, assertJobIds, MAX_JOB_IDS } from './validation.js';

builder.queryType({
  fields: (t) => ({
    trainingJob: t.field({
      type: TrainingJobRef,
      // Nullable so that a failure inside one job (operationHistory is non-null) does not null the whole response.
      nullable: true,
      description: 'One training job by id. No upstream call is made until `operations` is asked for. Null only when a non-null field inside it failed.',
      args: { jobId: t.arg.id({ required: true }) },
      resolve: (_root, { jobId }) => ({ jobId: assertJobId(jobId) }),
    }),
    trainingJobs: t.field({
      type: [TrainingJobRef],
      nullable: { list: false, items: true },
      description: `Several training jobs, in the order given, duplicates kept (at most ${MAX_JOB_IDS} ids). Their operation logs are fetched in one batch. An item is null only when a non-null field inside it failed.`,
      args: { jobIds: t.arg.idList({ required: true }) },
      resolve: (_root, { jobIds }) => assertJobIds(jobIds).map((jobId) => ({ jobId })),
    }),
  }),
});
