/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n": typeof types.JobsDocument,
    "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n      }\n    }\n  }\n": typeof types.JobEventsDocument,
    "\n  fragment JobSummary on TrainingJob {\n    status\n    createdAt\n    completedAt\n    failureReason\n    rejectedBy\n    latestOperation {\n      time\n      action\n    }\n  }\n": typeof types.JobSummaryFragmentDoc,
    "\n  fragment OperationRow on OperationLogItem {\n    time\n    action\n    rawAction\n    operator\n    rawOperator\n    externalInfo {\n      reviewIdList\n      algorithmFailureReason\n      adminAuditFailureReason\n    }\n  }\n": typeof types.OperationRowFragmentDoc,
    "\n  fragment TimelinePage on OperationLogConnection {\n    totalCount\n    offset\n    nodes {\n      ...OperationRow\n    }\n  }\n": typeof types.TimelinePageFragmentDoc,
    "\n  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {\n    trainingJob(jobId: $jobId) {\n      jobId\n      operations(offset: $offset, limit: $limit) {\n        ...TimelinePage\n      }\n    }\n  }\n": typeof types.JobTimelineDocument,
};
const documents: Documents = {
    "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n": types.JobsDocument,
    "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n      }\n    }\n  }\n": types.JobEventsDocument,
    "\n  fragment JobSummary on TrainingJob {\n    status\n    createdAt\n    completedAt\n    failureReason\n    rejectedBy\n    latestOperation {\n      time\n      action\n    }\n  }\n": types.JobSummaryFragmentDoc,
    "\n  fragment OperationRow on OperationLogItem {\n    time\n    action\n    rawAction\n    operator\n    rawOperator\n    externalInfo {\n      reviewIdList\n      algorithmFailureReason\n      adminAuditFailureReason\n    }\n  }\n": types.OperationRowFragmentDoc,
    "\n  fragment TimelinePage on OperationLogConnection {\n    totalCount\n    offset\n    nodes {\n      ...OperationRow\n    }\n  }\n": types.TimelinePageFragmentDoc,
    "\n  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {\n    trainingJob(jobId: $jobId) {\n      jobId\n      operations(offset: $offset, limit: $limit) {\n        ...TimelinePage\n      }\n    }\n  }\n": types.JobTimelineDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n"): (typeof documents)["\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobSummary on TrainingJob {\n    status\n    createdAt\n    completedAt\n    failureReason\n    rejectedBy\n    latestOperation {\n      time\n      action\n    }\n  }\n"): (typeof documents)["\n  fragment JobSummary on TrainingJob {\n    status\n    createdAt\n    completedAt\n    failureReason\n    rejectedBy\n    latestOperation {\n      time\n      action\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OperationRow on OperationLogItem {\n    time\n    action\n    rawAction\n    operator\n    rawOperator\n    externalInfo {\n      reviewIdList\n      algorithmFailureReason\n      adminAuditFailureReason\n    }\n  }\n"): (typeof documents)["\n  fragment OperationRow on OperationLogItem {\n    time\n    action\n    rawAction\n    operator\n    rawOperator\n    externalInfo {\n      reviewIdList\n      algorithmFailureReason\n      adminAuditFailureReason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelinePage on OperationLogConnection {\n    totalCount\n    offset\n    nodes {\n      ...OperationRow\n    }\n  }\n"): (typeof documents)["\n  fragment TimelinePage on OperationLogConnection {\n    totalCount\n    offset\n    nodes {\n      ...OperationRow\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {\n    trainingJob(jobId: $jobId) {\n      jobId\n      operations(offset: $offset, limit: $limit) {\n        ...TimelinePage\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {\n    trainingJob(jobId: $jobId) {\n      jobId\n      operations(offset: $offset, limit: $limit) {\n        ...TimelinePage\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;