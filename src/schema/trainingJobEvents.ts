// Subscription.trainingJobEvents: a job's new operations as MetaStudio records
// them, from the job's poller, which all subscribers of the job in the process
// share (src/live/). An event's `job` reads through loaders that hold what the
// poller read, so its fields cost no upstream call within that.
import type { JobEvent } from '../live/jobPoller.js';
import type { LiveItem } from '../live/liveSubscription.js';
import { builder } from './builder.js';
import { OperationLogItemRef } from './operationLog.js';
import { TrainingJobRef } from './trainingJob.js';
import { TrainingJobStatusRef } from './trainingJobStatus.js';
import { upstreamCost } from './upstreamCost.js';
import { assertJobId } from './validation.js';

const TrainingJobEventRef = builder.objectRef<JobEvent>('TrainingJobEvent').implement({
  description: 'What changed in a training job since the previous event.',
  fields: (t) => ({
    job: t.field({
      type: TrainingJobRef,
      description:
        'The job as the event saw it. Its fields cost no upstream call when they ask for operations the event knows: the newest 100 and the first 100.',
      resolve: (event, _args, { loaders }) => ({ jobId: event.jobId, loaders: loaders.forSnapshot(event.snapshot) }),
    }),
    status: t.field({
      type: TrainingJobStatusRef,
      nullable: true,
      description: "The job's status after this event; null while its log is empty.",
      resolve: (event) => event.status,
    }),
    totalCount: t.int({
      description: 'How many operations the job has in all.',
      resolve: (event) => event.snapshot.count,
    }),
    newOperations: t.field({
      type: [OperationLogItemRef],
      description:
        'In the first event, the newest operations (up to 100); then those recorded since the previous event, oldest first, each once.',
      resolve: (event) => event.newOperations,
    }),
  }),
});

builder.subscriptionFields((t) => ({
  trainingJobEvents: t.field({
    type: TrainingJobEventRef,
    description:
      'Events of one training job: the current state at once, then one event whenever MetaStudio records new operations. Completes after the event in which the job is COMPLETED. All subscribers of a job share one upstream poller.',
    args: { jobId: t.arg.id({ required: true }) },
    // With scoping on, the job's check before the poller starts.
    extensions: upstreamCost({ checked: true }),
    // With scoping on, another user's job is refused as an unknown one before any poller starts.
    subscribe: async (_root, { jobId }, { live, caller, request, loaders }) => {
      const id = assertJobId(jobId);
      await loaders.access.check(id);
      return live.subscribe(id, caller, request.signal, request);
    },
    resolve: (item: LiveItem) => {
      // An upstream failure that ends the subscription is its last result.
      if ('error' in item) throw item.error;
      return item.event;
    },
  }),
}));
