// A training job's own record on TrainingJob: what MetaStudio keeps about the
// job (ShowVoiceTrainingJob), as opposed to what its log says. One details call
// per job, batched and shared by every field here; none for a job that came
// from a voiceTrainingJobs page, whose list item is the same record.
import type { Context } from './context.js';
import { invalidResponse } from '../upstream/errors.js';
import { knownValue } from '../upstream/opLogPage.js';
import {
  ASSESSMENT_METRICS,
  CHARGE_MODES,
  CREATE_TYPES,
  JOB_STATES,
  JOB_TAGS,
  JOB_TYPES,
  SPEAKER_SEXES,
  type AllocatedResource,
  type Assessment,
  type AssessmentMetric,
  type TrainingJobInfo,
  type TrainingJobInfoField,
} from '../upstream/trainingJobInfo.js';
import { toEpochMillis } from '../upstream/upstreamTime.js';
import { builder } from './builder.js';
import { TrainingJobRef, type TrainingJob } from './trainingJob.js';
import { upstreamCost } from './upstreamCost.js';

const UNKNOWN = { description: 'A value this server does not know yet (MetaStudio added it later).' };

const STATE_DESCRIPTIONS: Record<(typeof JOB_STATES)[number], string> = {
  CREATING: 'Being created: the user is uploading recordings.',
  SYSTEM_AUDITING: 'In the automatic review.',
  AUDITING: 'In manual review by an administrator.',
  WAITING_SPLIT: 'Waiting for the recordings to be split.',
  SPLITTING: 'The recordings are being split.',
  SPLIT_FAILED: 'Splitting the recordings failed.',
  ANNOTATING: 'The recordings are being annotated.',
  WAITING: 'Queued for training.',
  PROCESSING: 'Training.',
  RESULT_REVIEW: 'The trained model is being reviewed.',
  AUDIT_FAILED: 'Rejected; waiting for the user to upload again. `auditResult` says why.',
  USER_RESULT_REVIEW: 'In the SDK enum; MetaStudio does not describe it.',
  USER_REVIEW_REJECT: 'In the SDK enum; MetaStudio does not describe it.',
  UPLOADING: 'The voice model is being uploaded.',
  FAILED: 'Failed; `trainingFailure` says why.',
  SUCCEED: 'Done: the voice model is `assetId`.',
};

export const TrainingJobStateRef = builder.enumType('TrainingJobState', {
  description: "MetaStudio's own state of a job (its details' `state`).",
  values: {
    ...Object.fromEntries(JOB_STATES.map((state) => [state, { description: STATE_DESCRIPTIONS[state] }])),
    UNKNOWN,
  } as Record<(typeof JOB_STATES)[number] | 'UNKNOWN', { description: string }>,
});

export const TrainingJobTypeRef = builder.enumType('TrainingJobType', {
  description: 'The edition of a job.',
  values: {
    BASIC: { description: 'Basic edition: 20 sentences.' },
    MIDDLE: { description: 'Advanced edition: 100 sentences.' },
    ADVANCE: { description: 'Premium edition.' },
    THIRD_PARTY: { description: 'Third-party training.' },
    THIRD_PARTY_LJZN: { description: 'Third-party training (LJZN).' },
    FLEXUS: { description: 'Flexus edition.' },
    UNKNOWN,
  } as const,
});

export const TrainingJobTagRef = builder.enumType('TrainingJobTag', {
  description: 'What the voice is for.',
  values: { ...Object.fromEntries(JOB_TAGS.map((tag) => [tag, {}])), UNKNOWN } as Record<
    (typeof JOB_TAGS)[number] | 'UNKNOWN',
    { description?: string }
  >,
});

const SpeakerSexRef = builder.enumType('SpeakerSex', {
  values: { FEMALE: {}, MALE: {}, UNKNOWN } as const,
});

const TrainingJobCreateTypeRef = builder.enumType('TrainingJobCreateType', {
  description: 'How the training data was uploaded.',
  values: {
    PACKAGE: { description: 'As one zip package.' },
    SEGMENT: { description: 'Sentence by sentence.' },
    UNKNOWN,
  } as const,
});

const ChargeModeRef = builder.enumType('ChargeMode', {
  values: { PERIODIC: {}, ONE_TIME: {}, ON_DEMAND: {}, UNKNOWN } as const,
});

interface TrainingFailure {
  code: string | null;
  reason: string | null;
}

const TrainingFailureRef = builder.objectRef<TrainingFailure>('TrainingFailure').implement({
  description: 'Why MetaStudio failed a job (`job_failed_code`, `job_failed_reason`).',
  fields: (t) => ({
    code: t.exposeString('code', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const AllocatedResourceRef = builder.objectRef<AllocatedResource>('AllocatedResource').implement({
  description: 'The training resource allocated to the job.',
  fields: (t) => ({
    resourceId: t.exposeString('resourceId', { nullable: true }),
    chargeMode: t.field({
      type: ChargeModeRef,
      nullable: true,
      resolve: (resource) => (resource.chargeMode === null ? null : knownValue(CHARGE_MODES, resource.chargeMode)),
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (resource) => {
        if (resource.expireTime === null) return null;
        const ms = Date.parse(resource.expireTime);
        if (Number.isNaN(ms)) throw invalidResponse('allocated_resource.expire_time: expected an RFC 3339 time', {});
        return new Date(ms);
      },
    }),
  }),
});

const VoiceAssessmentMetricRef = builder.objectRef<AssessmentMetric>('VoiceAssessmentMetric').implement({
  description: 'One measured property of the recordings.',
  fields: (t) => ({
    name: t.exposeString('name', { description: `The upstream property: ${ASSESSMENT_METRICS.join(', ')}.` }),
    expected: t.exposeString('expected', { nullable: true, description: 'The range MetaStudio expects.' }),
    actual: t.exposeString('actual', { nullable: true, description: 'What the recordings measured.' }),
    suggestion: t.exposeString('suggestion', { nullable: true, description: "MetaStudio's advice, in Chinese." }),
    suggestionEn: t.exposeString('suggestionEn', { nullable: true, description: "MetaStudio's advice, in English." }),
    outOfRange: t.boolean({
      nullable: true,
      description: 'True when MetaStudio flagged the value (`status` other than 0); null when it sent no status.',
      resolve: (metric) => (metric.status === null ? null : metric.status !== 0),
    }),
  }),
});

const VoiceAssessmentRef = builder.objectRef<Assessment>('VoiceAssessment').implement({
  description: "MetaStudio's audio-quality assessment of the training recordings.",
  fields: (t) => ({
    suggestion: t.exposeString('suggestion', { nullable: true }),
    metrics: t.field({
      type: [VoiceAssessmentMetricRef],
      description: 'One per property MetaStudio assessed.',
      resolve: (assessment) => assessment.metrics,
    }),
  }),
});

/** The job's record: from its list item when it came from a list page, else one details call (batched). */
export function detailsOf(job: TrainingJob, context: Context): Promise<TrainingJobInfo> | TrainingJobInfo {
  if (job.listed) return job.listed;
  return (job.loaders ?? context.loaders).jobDetails.load({ jobId: job.jobId });
}

/** A field MetaStudio sent unreadable fails alone, where it is asked for. */
export function detail<F extends TrainingJobInfoField>(info: TrainingJobInfo, field: F): TrainingJobInfo[F] {
  const problem = info.problems?.[field];
  if (problem) throw invalidResponse(problem, {});
  return info[field];
}

/** Every field here reads the same details: one call per job, none for a listed job. */
const DETAILS = upstreamCost({ calls: () => 1, sharedAs: 'jobDetails', freeWhenListed: true, checked: true });

const read =
  <F extends TrainingJobInfoField, R>(field: F, map: (value: NonNullable<TrainingJobInfo[F]>) => R) =>
  async (job: TrainingJob, _args: unknown, context: Context): Promise<R | null> => {
    const value = detail(await detailsOf(job, context), field);
    return value === null ? null : map(value as NonNullable<TrainingJobInfo[F]>);
  };
type StringField = {
  [K in TrainingJobInfoField]: TrainingJobInfo[K] extends string | null ? K : never;
}[TrainingJobInfoField];
const same = <T>(value: T) => value;
const time = (value: number) => new Date(toEpochMillis(value));

builder.objectFields(TrainingJobRef, (t) => {
  const string = (field: StringField, description: string) =>
    t.string({ nullable: true, description, extensions: DETAILS, resolve: read(field, same) });
  return {
    voiceName: string('voiceName', "The voice's name; the voice model's asset gets it."),
    jobType: t.field({
      type: TrainingJobTypeRef,
      nullable: true,
      description: 'The edition.',
      extensions: DETAILS,
      resolve: read('jobType', (value) => knownValue(JOB_TYPES, value)),
    }),
    state: t.field({
      type: TrainingJobStateRef,
      nullable: true,
      description:
        "MetaStudio's own state of the job, from its details (free for a job from a `voiceTrainingJobs` page). It can differ from `status`, which the log gives: a job that failed in training is FAILED here while its log still says TRAINING.",
      extensions: DETAILS,
      resolve: read('state', (value) => knownValue(JOB_STATES, value)),
    }),
    stateChangedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        "When `state` last changed (`lastupdate_time`): the time the list's `updatedAfter`/`updatedBefore` and `UPDATED_AT` order use.",
      extensions: DETAILS,
      resolve: read('lastUpdateTime', time),
    }),
    appUserId: string('appUserId', 'The third-party user the job belongs to, when it was created for one.'),
    rejectionCount: t.int({
      nullable: true,
      description: 'How many times the job was rejected (`reject_times`).',
      extensions: DETAILS,
      resolve: read('rejectTimes', same),
    }),
    assetId: t.id({
      nullable: true,
      description: "The voice model's asset id, once the job succeeded.",
      extensions: DETAILS,
      resolve: read('assetId', same),
    }),
    trainingFailure: t.field({
      type: TrainingFailureRef,
      nullable: true,
      description: 'Why MetaStudio failed the job; null unless it sent a failure code or reason.',
      extensions: DETAILS,
      resolve: async (job, _args, context) => {
        const info = await detailsOf(job, context);
        const code = detail(info, 'failedCode');
        const reason = detail(info, 'failedReason');
        return code === null && reason === null ? null : { code, reason };
      },
    }),
    tag: t.field({
      type: TrainingJobTagRef,
      nullable: true,
      description: 'What the voice is for.',
      extensions: DETAILS,
      resolve: read('tag', (value) => knownValue(JOB_TAGS, value)),
    }),
    batchName: string('batchName', 'The batch the job belongs to.'),
    onDemand: t.boolean({
      nullable: true,
      description: 'True for a pay-per-use job (`is_ondemand_resource`).',
      extensions: DETAILS,
      resolve: read('isOndemandResource', same),
    }),
    remake: t.boolean({
      nullable: true,
      description: 'True when the job redoes an earlier one (`is_remake`).',
      extensions: DETAILS,
      resolve: read('isRemake', same),
    }),
    language: string('language', 'The language of the recordings, e.g. CN or EN.'),
    outputLanguage: string('outputLanguage', "The voice model's output language."),
    speakerSex: t.field({
      type: SpeakerSexRef,
      nullable: true,
      description: "The speaker's sex (`sex`).",
      extensions: DETAILS,
      resolve: read('sex', (value) => knownValue(SPEAKER_SEXES, value)),
    }),
    createType: t.field({
      type: TrainingJobCreateTypeRef,
      nullable: true,
      description: 'How the training data was uploaded.',
      extensions: DETAILS,
      resolve: read('createType', (value) => knownValue(CREATE_TYPES, value)),
    }),
    allocatedResource: t.field({
      type: AllocatedResourceRef,
      nullable: true,
      description: 'The resource allocated to the job, with its charge mode and expiry.',
      extensions: DETAILS,
      resolve: read('allocatedResource', same),
    }),
    authorizationLetterUrl: string(
      'voiceAuthorizationUrl',
      "A link to the speaker's authorization letter (`voice_authorization_url`). A capability URL: whoever has it can read the letter.",
    ),
    trainingDataUrl: string(
      'trainingInputSourceUrl',
      'A link to the uploaded training data (`training_input_source_url`). A capability URL.',
    ),
    avatarJobId: t.id({
      nullable: true,
      description: 'The linked avatar production job (`dhtms_job_id`).',
      extensions: DETAILS,
      resolve: read('dhtmsJobId', same),
    }),
    assessment: t.field({
      type: VoiceAssessmentRef,
      nullable: true,
      description: "MetaStudio's audio-quality assessment of the recordings; null when it sent none.",
      extensions: DETAILS,
      resolve: read('assessment', same),
    }),
  };
});
