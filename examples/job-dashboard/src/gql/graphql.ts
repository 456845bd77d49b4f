/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ChargeMode =
  | 'ONE_TIME'
  | 'ON_DEMAND'
  | 'PERIODIC'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN';

/** What happened to the training job. Values MetaStudio adds later arrive as UNKNOWN; see `rawAction`. */
export type OperationAction =
  /** An administrator approved the job. */
  | 'ADMIN_AUDIT_PASS'
  /** The review failed; `externalInfo` says why. */
  | 'AUDIT_NOT_PASS'
  /** The job was submitted for review. */
  | 'COMMIT_JOB'
  /** The job is complete. */
  | 'COMPLETE_JOB'
  /** The job was created. */
  | 'CREATE_JOB'
  /** The automatic review passed. */
  | 'SYSTEM_AUDIT_PASS'
  /** Training finished. */
  | 'TRAINING_FINISH'
  /** An action this server does not know yet, or none was given. */
  | 'UNKNOWN'
  /** The voice model is being uploaded. */
  | 'UPLOADING_MODEL';

/** Who performed the operation. Values MetaStudio adds later arrive as UNKNOWN; see `rawOperator`. */
export type OperationOperator =
  /** A MetaStudio administrator. */
  | 'ADMIN'
  /** MetaStudio itself. */
  | 'SYSTEM'
  /** An operator this server does not know yet, or none was given. */
  | 'UNKNOWN'
  /** The tenant user. */
  | 'USER';

export type SpeakerSex =
  | 'FEMALE'
  | 'MALE'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN';

/** How the training data was uploaded. */
export type TrainingJobCreateType =
  /** As one zip package. */
  | 'PACKAGE'
  /** Sentence by sentence. */
  | 'SEGMENT'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN';

/** MetaStudio's own state of a job (its details' `state`). */
export type TrainingJobState =
  /** The recordings are being annotated. */
  | 'ANNOTATING'
  /** In manual review by an administrator. */
  | 'AUDITING'
  /** Rejected; waiting for the user to upload again. `auditResult` says why. */
  | 'AUDIT_FAILED'
  /** Being created: the user is uploading recordings. */
  | 'CREATING'
  /** Failed; `trainingFailure` says why. */
  | 'FAILED'
  /** Training. */
  | 'PROCESSING'
  /** The trained model is being reviewed. */
  | 'RESULT_REVIEW'
  /** The recordings are being split. */
  | 'SPLITTING'
  /** Splitting the recordings failed. */
  | 'SPLIT_FAILED'
  /** Done: the voice model is `assetId`. */
  | 'SUCCEED'
  /** In the automatic review. */
  | 'SYSTEM_AUDITING'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN'
  /** The voice model is being uploaded. */
  | 'UPLOADING'
  /** In the SDK enum; MetaStudio does not describe it. */
  | 'USER_RESULT_REVIEW'
  /** In the SDK enum; MetaStudio does not describe it. */
  | 'USER_REVIEW_REJECT'
  /** Queued for training. */
  | 'WAITING'
  /** Waiting for the recordings to be split. */
  | 'WAITING_SPLIT';

/** Where a training job is, derived from its newest operation. */
export type TrainingJobStatus =
  /** Newest operation: COMPLETE_JOB. The only final status. */
  | 'COMPLETED'
  /** Newest operation: CREATE_JOB. */
  | 'CREATED'
  /** Newest operation: COMMIT_JOB or SYSTEM_AUDIT_PASS. */
  | 'IN_REVIEW'
  /** Newest operation: TRAINING_FINISH or UPLOADING_MODEL. */
  | 'PUBLISHING'
  /** Newest operation: AUDIT_NOT_PASS. Not final: the job can be committed again. */
  | 'REJECTED'
  /** Newest operation: ADMIN_AUDIT_PASS. */
  | 'TRAINING'
  /** Newest operation: an action this server does not know yet, or none was given. */
  | 'UNKNOWN';

/** What the voice is for. */
export type TrainingJobTag =
  | 'CUSTOMER'
  | 'ECOMMERCE'
  | 'EDUCATION'
  | 'LIVE'
  | 'MARKETING'
  | 'NEWS'
  | 'STORYTELLING'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN';

/** The edition of a job. */
export type TrainingJobType =
  /** Premium edition. */
  | 'ADVANCE'
  /** Basic edition: 20 sentences. */
  | 'BASIC'
  /** Flexus edition. */
  | 'FLEXUS'
  /** Advanced edition: 100 sentences. */
  | 'MIDDLE'
  /** Third-party training. */
  | 'THIRD_PARTY'
  /** Third-party training (LJZN). */
  | 'THIRD_PARTY_LJZN'
  /** A value this server does not know yet (MetaStudio added it later). */
  | 'UNKNOWN';

/** Each field narrows the list as the upstream parameter of that name does; time bounds are inclusive. */
export type VoiceTrainingJobFilter = {
  /** `batch_name`. */
  batchName?: string | null | undefined;
  /** Created at or after (`create_since`). */
  createdAfter?: string | null | undefined;
  /** Created at or before (`create_until`). */
  createdBefore?: string | null | undefined;
  /** One job (`job_id`). */
  jobId?: string | number | null | undefined;
  /** Not UNKNOWN. */
  jobType?: TrainingJobType | null | undefined;
  /** Pay-per-use jobs only (true) or the others (false) (`is_ondemand_resource`). */
  onDemand?: boolean | null | undefined;
  /** Any of these states (`state`, comma-separated). Not empty; not UNKNOWN. */
  states?: Array<TrainingJobState> | null | undefined;
  /** Not UNKNOWN. */
  tag?: TrainingJobTag | null | undefined;
  /** `stateChangedAt` at or after (`update_since`). */
  updatedAfter?: string | null | undefined;
  /** `stateChangedAt` at or before (`update_until`). */
  updatedBefore?: string | null | undefined;
  /** Jobs of this voice name (`voice_name`). */
  voiceName?: string | null | undefined;
};

export type AssessmentFragment = { assessment: { suggestion: string | null, metrics: Array<{ name: string, expected: string | null, actual: string | null, suggestion: string | null, suggestionEn: string | null, outOfRange: boolean | null }> } | null } & { ' $fragmentName'?: 'AssessmentFragment' };

export type AuditResultFragment = { auditResult: { systemReview: { reviewedAt: string | null, problems: Array<{ audioName: string | null, textName: string | null, code: string | null, message: string | null }> } | null, adminReview: { reviewedAt: string | null, message: string | null, attachmentName: string | null, attachmentUrl: string | null } | null } | null } & { ' $fragmentName'?: 'AuditResultFragment' };

export type JobEventsSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type JobEventsSubscription = { trainingJobEvents: { totalCount: number, newOperations: Array<{ ' $fragmentRefs'?: { 'OperationRowFragment': OperationRowFragment } }>, job: (
      { jobId: string }
      & { ' $fragmentRefs'?: { 'JobSummaryFragment': JobSummaryFragment;'JobDetailsFragment': JobDetailsFragment } }
    ) } };

export type JobDetailsFragment = { voiceName: string | null, jobType: TrainingJobType | null, state: TrainingJobState | null, stateChangedAt: string | null, appUserId: string | null, rejectionCount: number | null, assetId: string | null, tag: TrainingJobTag | null, batchName: string | null, onDemand: boolean | null, remake: boolean | null, language: string | null, outputLanguage: string | null, speakerSex: SpeakerSex | null, createType: TrainingJobCreateType | null, avatarJobId: string | null, trainingFailure: { code: string | null, reason: string | null } | null, allocatedResource: { chargeMode: ChargeMode | null, expiresAt: string | null } | null } & { ' $fragmentName'?: 'JobDetailsFragment' };

export type JobListQueryVariables = Exact<{
  filter?: VoiceTrainingJobFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type JobListQuery = { voiceTrainingJobs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<(
      { jobId: string }
      & { ' $fragmentRefs'?: { 'JobRowFragment': JobRowFragment } }
    )> } | null };

export type JobsQueryVariables = Exact<{
  jobIds: Array<string | number> | string | number;
  pageSize: number;
}>;


export type JobsQuery = { trainingJobs: Array<(
    { jobId: string, operations: { ' $fragmentRefs'?: { 'TimelinePageFragment': TimelinePageFragment } } | null }
    & { ' $fragmentRefs'?: { 'JobSummaryFragment': JobSummaryFragment;'JobDetailsFragment': JobDetailsFragment;'AssessmentFragment': AssessmentFragment;'AuditResultFragment': AuditResultFragment } }
  ) | null> };

export type JobRowFragment = { jobId: string, state: TrainingJobState | null, voiceName: string | null, jobType: TrainingJobType | null, createdAt: string | null } & { ' $fragmentName'?: 'JobRowFragment' };

export type JobSummaryFragment = { status: TrainingJobStatus | null, createdAt: string | null, completedAt: string | null, failureReason: string | null, rejectedBy: OperationOperator | null, latestOperation: { time: string, action: OperationAction } | null } & { ' $fragmentName'?: 'JobSummaryFragment' };

export type OperationRowFragment = { time: string, action: OperationAction, rawAction: string | null, operator: OperationOperator, rawOperator: string | null, externalInfo: { reviewIdList: Array<string>, algorithmFailureReason: string | null, adminAuditFailureReason: string | null } | null } & { ' $fragmentName'?: 'OperationRowFragment' };

export type TimelinePageFragment = { totalCount: number, offset: number, nodes: Array<{ ' $fragmentRefs'?: { 'OperationRowFragment': OperationRowFragment } }> } & { ' $fragmentName'?: 'TimelinePageFragment' };

export type JobTimelineQueryVariables = Exact<{
  jobId: string | number;
  offset: number;
  limit: number;
}>;


export type JobTimelineQuery = { trainingJob: { jobId: string, operations: { ' $fragmentRefs'?: { 'TimelinePageFragment': TimelinePageFragment } } | null } | null };

export const AssessmentFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Assessment"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assessment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"expected"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"suggestionEn"}},{"kind":"Field","name":{"kind":"Name","value":"outOfRange"}}]}}]}}]}}]} as unknown as DocumentNode<AssessmentFragment, unknown>;
export const AuditResultFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditResult"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"systemReview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"audioName"}},{"kind":"Field","name":{"kind":"Name","value":"textName"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"adminReview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"attachmentName"}},{"kind":"Field","name":{"kind":"Name","value":"attachmentUrl"}}]}}]}}]}}]} as unknown as DocumentNode<AuditResultFragment, unknown>;
export const JobDetailsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceName"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stateChangedAt"}},{"kind":"Field","name":{"kind":"Name","value":"appUserId"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionCount"}},{"kind":"Field","name":{"kind":"Name","value":"assetId"}},{"kind":"Field","name":{"kind":"Name","value":"trainingFailure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"batchName"}},{"kind":"Field","name":{"kind":"Name","value":"onDemand"}},{"kind":"Field","name":{"kind":"Name","value":"remake"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"outputLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"speakerSex"}},{"kind":"Field","name":{"kind":"Name","value":"createType"}},{"kind":"Field","name":{"kind":"Name","value":"allocatedResource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargeMode"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"avatarJobId"}}]}}]} as unknown as DocumentNode<JobDetailsFragment, unknown>;
export const JobRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"voiceName"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<JobRowFragment, unknown>;
export const JobSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}}]} as unknown as DocumentNode<JobSummaryFragment, unknown>;
export const OperationRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}}]} as unknown as DocumentNode<OperationRowFragment, unknown>;
export const TimelinePageFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}}]} as unknown as DocumentNode<TimelinePageFragment, unknown>;
export const JobEventsDocument = {"__meta__":{"hash":"7a5da894c14be369e41522cd7c594fd97271916a797cbe78b552a47a6622621b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"JobEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJobEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"newOperations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobSummary"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobDetails"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceName"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stateChangedAt"}},{"kind":"Field","name":{"kind":"Name","value":"appUserId"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionCount"}},{"kind":"Field","name":{"kind":"Name","value":"assetId"}},{"kind":"Field","name":{"kind":"Name","value":"trainingFailure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"batchName"}},{"kind":"Field","name":{"kind":"Name","value":"onDemand"}},{"kind":"Field","name":{"kind":"Name","value":"remake"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"outputLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"speakerSex"}},{"kind":"Field","name":{"kind":"Name","value":"createType"}},{"kind":"Field","name":{"kind":"Name","value":"allocatedResource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargeMode"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"avatarJobId"}}]}}]} as unknown as DocumentNode<JobEventsSubscription, JobEventsSubscriptionVariables>;
export const JobListDocument = {"__meta__":{"hash":"fca15d7a963c212d5e0725fdda5c75e75dd58267caec66289870a2a7d59d4c56"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JobList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"VoiceTrainingJobFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceTrainingJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"DESC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"voiceName"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<JobListQuery, JobListQueryVariables>;
export const JobsDocument = {"__meta__":{"hash":"ecd4765ec2082504b6286fb35ba04aa55680e667609ce5f31402b18c94e1cb84"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Jobs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pageSize"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobSummary"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobDetails"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"Assessment"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"AuditResult"}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pageSize"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TimelinePage"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobDetails"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voiceName"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"stateChangedAt"}},{"kind":"Field","name":{"kind":"Name","value":"appUserId"}},{"kind":"Field","name":{"kind":"Name","value":"rejectionCount"}},{"kind":"Field","name":{"kind":"Name","value":"assetId"}},{"kind":"Field","name":{"kind":"Name","value":"trainingFailure"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"batchName"}},{"kind":"Field","name":{"kind":"Name","value":"onDemand"}},{"kind":"Field","name":{"kind":"Name","value":"remake"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"outputLanguage"}},{"kind":"Field","name":{"kind":"Name","value":"speakerSex"}},{"kind":"Field","name":{"kind":"Name","value":"createType"}},{"kind":"Field","name":{"kind":"Name","value":"allocatedResource"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chargeMode"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"avatarJobId"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Assessment"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assessment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"expected"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"suggestion"}},{"kind":"Field","name":{"kind":"Name","value":"suggestionEn"}},{"kind":"Field","name":{"kind":"Name","value":"outOfRange"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AuditResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditResult"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"systemReview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"problems"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"audioName"}},{"kind":"Field","name":{"kind":"Name","value":"textName"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"adminReview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewedAt"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"attachmentName"}},{"kind":"Field","name":{"kind":"Name","value":"attachmentUrl"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}}]} as unknown as DocumentNode<JobsQuery, JobsQueryVariables>;
export const JobTimelineDocument = {"__meta__":{"hash":"1d379e1cf4d34ef1aa3d9143044bb64651886b2b01d642395bd8321f3826384f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JobTimeline"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"offset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offset"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TimelinePage"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}}]} as unknown as DocumentNode<JobTimelineQuery, JobTimelineQueryVariables>;