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
    "\n  fragment Assessment on TrainingJob {\n    assessment {\n      suggestion\n      metrics {\n        name\n        expected\n        actual\n        suggestion\n        suggestionEn\n        outOfRange\n      }\n    }\n  }\n": typeof types.AssessmentFragmentDoc,
    "\n  fragment AuditResult on TrainingJob {\n    auditResult {\n      systemReview {\n        reviewedAt\n        problems {\n          audioName\n          textName\n          code\n          message\n        }\n      }\n      adminReview {\n        reviewedAt\n        message\n        attachmentName\n        attachmentUrl\n      }\n    }\n  }\n": typeof types.AuditResultFragmentDoc,
    "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n        ...JobDetails\n      }\n    }\n  }\n": typeof types.JobEventsDocument,
    "\n  fragment JobDetails on TrainingJob {\n    voiceName\n    jobType\n    state\n    stateChangedAt\n    appUserId\n    rejectionCount\n    assetId\n    trainingFailure {\n      code\n      reason\n    }\n    tag\n    batchName\n    onDemand\n    remake\n    language\n    outputLanguage\n    speakerSex\n    createType\n    allocatedResource {\n      chargeMode\n      expiresAt\n    }\n    avatarJobId\n  }\n": typeof types.JobDetailsFragmentDoc,
    "\n  query JobList($filter: VoiceTrainingJobFilter, $first: Int!, $after: String) {\n    voiceTrainingJobs(filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        jobId\n        ...JobRow\n      }\n    }\n  }\n": typeof types.JobListDocument,
    "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      ...JobDetails\n      ...Assessment\n      ...AuditResult\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n": typeof types.JobsDocument,
    "\n  fragment JobRow on TrainingJob {\n    jobId\n    state\n    voiceName\n    jobType\n    createdAt\n  }\n": typeof types.JobRowFragmentDoc,
    "\n  fragment JobSummary on TrainingJob {\n    status\n    createdAt\n    completedAt\n    failureReason\n    rejectedBy\n    latestOperation {\n      time\n      action\n    }\n  }\n": typeof types.JobSummaryFragmentDoc,
    "\n  fragment OperationRow on OperationLogItem {\n    time\n    action\n    rawAction\n    operator\n    rawOperator\n    externalInfo {\n      reviewIdList\n      algorithmFailureReason\n      adminAuditFailureReason\n    }\n  }\n": typeof types.OperationRowFragmentDoc,
    "\n  fragment TimelinePage on OperationLogConnection {\n    totalCount\n    offset\n    nodes {\n      ...OperationRow\n    }\n  }\n": typeof types.TimelinePageFragmentDoc,
    "\n  query JobTimeline($jobId: ID!, $offset: Int!, $limit: Int!) {\n    trainingJob(jobId: $jobId) {\n      jobId\n      operations(offset: $offset, limit: $limit) {\n        ...TimelinePage\n      }\n    }\n  }\n": typeof types.JobTimelineDocument,
};
const documents: Documents = {
    "\n  fragment Assessment on TrainingJob {\n    assessment {\n      suggestion\n      metrics {\n        name\n        expected\n        actual\n        suggestion\n        suggestionEn\n        outOfRange\n      }\n    }\n  }\n": types.AssessmentFragmentDoc,
    "\n  fragment AuditResult on TrainingJob {\n    auditResult {\n      systemReview {\n        reviewedAt\n        problems {\n          audioName\n          textName\n          code\n          message\n        }\n      }\n      adminReview {\n        reviewedAt\n        message\n        attachmentName\n        attachmentUrl\n      }\n    }\n  }\n": types.AuditResultFragmentDoc,
    "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n        ...JobDetails\n      }\n    }\n  }\n": types.JobEventsDocument,
    "\n  fragment JobDetails on TrainingJob {\n    voiceName\n    jobType\n    state\n    stateChangedAt\n    appUserId\n    rejectionCount\n    assetId\n    trainingFailure {\n      code\n      reason\n    }\n    tag\n    batchName\n    onDemand\n    remake\n    language\n    outputLanguage\n    speakerSex\n    createType\n    allocatedResource {\n      chargeMode\n      expiresAt\n    }\n    avatarJobId\n  }\n": types.JobDetailsFragmentDoc,
    "\n  query JobList($filter: VoiceTrainingJobFilter, $first: Int!, $after: String) {\n    voiceTrainingJobs(filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        jobId\n        ...JobRow\n      }\n    }\n  }\n": types.JobListDocument,
    "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      ...JobDetails\n      ...Assessment\n      ...AuditResult\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n": types.JobsDocument,
    "\n  fragment JobRow on TrainingJob {\n    jobId\n    state\n    voiceName\n    jobType\n    createdAt\n  }\n": types.JobRowFragmentDoc,
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
export function graphql(source: "\n  fragment Assessment on TrainingJob {\n    assessment {\n      suggestion\n      metrics {\n        name\n        expected\n        actual\n        suggestion\n        suggestionEn\n        outOfRange\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment Assessment on TrainingJob {\n    assessment {\n      suggestion\n      metrics {\n        name\n        expected\n        actual\n        suggestion\n        suggestionEn\n        outOfRange\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditResult on TrainingJob {\n    auditResult {\n      systemReview {\n        reviewedAt\n        problems {\n          audioName\n          textName\n          code\n          message\n        }\n      }\n      adminReview {\n        reviewedAt\n        message\n        attachmentName\n        attachmentUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment AuditResult on TrainingJob {\n    auditResult {\n      systemReview {\n        reviewedAt\n        problems {\n          audioName\n          textName\n          code\n          message\n        }\n      }\n      adminReview {\n        reviewedAt\n        message\n        attachmentName\n        attachmentUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n        ...JobDetails\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription JobEvents($jobId: ID!) {\n    trainingJobEvents(jobId: $jobId) {\n      totalCount\n      newOperations {\n        ...OperationRow\n      }\n      job {\n        jobId\n        ...JobSummary\n        ...JobDetails\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobDetails on TrainingJob {\n    voiceName\n    jobType\n    state\n    stateChangedAt\n    appUserId\n    rejectionCount\n    assetId\n    trainingFailure {\n      code\n      reason\n    }\n    tag\n    batchName\n    onDemand\n    remake\n    language\n    outputLanguage\n    speakerSex\n    createType\n    allocatedResource {\n      chargeMode\n      expiresAt\n    }\n    avatarJobId\n  }\n"): (typeof documents)["\n  fragment JobDetails on TrainingJob {\n    voiceName\n    jobType\n    state\n    stateChangedAt\n    appUserId\n    rejectionCount\n    assetId\n    trainingFailure {\n      code\n      reason\n    }\n    tag\n    batchName\n    onDemand\n    remake\n    language\n    outputLanguage\n    speakerSex\n    createType\n    allocatedResource {\n      chargeMode\n      expiresAt\n    }\n    avatarJobId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobList($filter: VoiceTrainingJobFilter, $first: Int!, $after: String) {\n    voiceTrainingJobs(filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        jobId\n        ...JobRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobList($filter: VoiceTrainingJobFilter, $first: Int!, $after: String) {\n    voiceTrainingJobs(filter: $filter, orderBy: { field: CREATED_AT, direction: DESC }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        jobId\n        ...JobRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      ...JobDetails\n      ...Assessment\n      ...AuditResult\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n"): (typeof documents)["\n  query Jobs($jobIds: [ID!]!, $pageSize: Int!) {\n    trainingJobs(jobIds: $jobIds) {\n      jobId\n      ...JobSummary\n      ...JobDetails\n      ...Assessment\n      ...AuditResult\n      operations(limit: $pageSize) {\n        ...TimelinePage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobRow on TrainingJob {\n    jobId\n    state\n    voiceName\n    jobType\n    createdAt\n  }\n"): (typeof documents)["\n  fragment JobRow on TrainingJob {\n    jobId\n    state\n    voiceName\n    jobType\n    createdAt\n  }\n"];
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