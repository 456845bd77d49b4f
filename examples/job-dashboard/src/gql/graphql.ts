/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

export type JobsQueryVariables = Exact<{
  jobIds: Array<string | number> | string | number;
  pageSize: number;
}>;


export type JobsQuery = { trainingJobs: Array<(
    { jobId: string, operations: { ' $fragmentRefs'?: { 'TimelinePageFragment': TimelinePageFragment } } | null }
    & { ' $fragmentRefs'?: { 'JobSummaryFragment': JobSummaryFragment } }
  ) | null> };

export type JobEventsSubscriptionVariables = Exact<{
  jobId: string | number;
}>;


export type JobEventsSubscription = { trainingJobEvents: { totalCount: number, newOperations: Array<{ ' $fragmentRefs'?: { 'OperationRowFragment': OperationRowFragment } }>, job: (
      { jobId: string }
      & { ' $fragmentRefs'?: { 'JobSummaryFragment': JobSummaryFragment } }
    ) } };

export type JobSummaryFragment = { status: TrainingJobStatus | null, createdAt: string | null, completedAt: string | null, failureReason: string | null, rejectedBy: OperationOperator | null, latestOperation: { time: string, action: OperationAction } | null } & { ' $fragmentName'?: 'JobSummaryFragment' };

export type OperationRowFragment = { time: string, action: OperationAction, rawAction: string | null, operator: OperationOperator, rawOperator: string | null, externalInfo: { reviewIdList: Array<string>, algorithmFailureReason: string | null, adminAuditFailureReason: string | null } | null } & { ' $fragmentName'?: 'OperationRowFragment' };

export type TimelinePageFragment = { totalCount: number, offset: number, nodes: Array<{ ' $fragmentRefs'?: { 'OperationRowFragment': OperationRowFragment } }> } & { ' $fragmentName'?: 'TimelinePageFragment' };

export type JobTimelineQueryVariables = Exact<{
  jobId: string | number;
  offset: number;
  limit: number;
}>;


export type JobTimelineQuery = { trainingJob: { jobId: string, operations: { ' $fragmentRefs'?: { 'TimelinePageFragment': TimelinePageFragment } } | null } | null };

export const JobSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}}]} as unknown as DocumentNode<JobSummaryFragment, unknown>;
export const OperationRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}}]} as unknown as DocumentNode<OperationRowFragment, unknown>;
export const TimelinePageFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}}]} as unknown as DocumentNode<TimelinePageFragment, unknown>;
export const JobsDocument = {"__meta__":{"hash":"388bd5bbaea2d4d2404720748267f8b5a2d34359d2024e991a72c078cb28049a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Jobs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pageSize"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJobs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobSummary"}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pageSize"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TimelinePage"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}}]} as unknown as DocumentNode<JobsQuery, JobsQueryVariables>;
export const JobEventsDocument = {"__meta__":{"hash":"7af4c0448a0e1d299ae4c79a09b127b86d7fabc6ddf9c59052ae350421fbf231"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"JobEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJobEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"newOperations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"JobSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"JobSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TrainingJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"completedAt"}},{"kind":"Field","name":{"kind":"Name","value":"failureReason"}},{"kind":"Field","name":{"kind":"Name","value":"rejectedBy"}},{"kind":"Field","name":{"kind":"Name","value":"latestOperation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}}]}}]}}]} as unknown as DocumentNode<JobEventsSubscription, JobEventsSubscriptionVariables>;
export const JobTimelineDocument = {"__meta__":{"hash":"1d379e1cf4d34ef1aa3d9143044bb64651886b2b01d642395bd8321f3826384f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"JobTimeline"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"trainingJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"jobId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"jobId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"jobId"}},{"kind":"Field","name":{"kind":"Name","value":"operations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"offset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offset"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"TimelinePage"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OperationRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogItem"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"time"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"rawAction"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"rawOperator"}},{"kind":"Field","name":{"kind":"Name","value":"externalInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reviewIdList"}},{"kind":"Field","name":{"kind":"Name","value":"algorithmFailureReason"}},{"kind":"Field","name":{"kind":"Name","value":"adminAuditFailureReason"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"TimelinePage"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OperationLogConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"offset"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"OperationRow"}}]}}]}}]} as unknown as DocumentNode<JobTimelineQuery, JobTimelineQueryVariables>;