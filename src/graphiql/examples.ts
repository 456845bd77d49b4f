// Example operations preloaded into GraphiQL, against the embedded simulator's
// jobs. They share one document, and none needs variables: GraphiQL's tabs keep
// the last tab's operation name (so running in another tab fails with "Cannot
// infer operation") and do not preload the first tab's variables (graphql/graphiql#3392).
export const EXAMPLES: string[] = [
  `# The latest operations of one job, with review results and reasons.
query JobTimeline {
  trainingJob(jobId: "job-complete") {
    jobId
    operations(limit: 10) {
      totalCount
      nodes {
        time
        action
        operator
        externalInfo {
          reviewIdList
          algorithmFailureReason
          adminAuditFailureReason
        }
      }
    }
  }
}`,
  `# The job list, newest first, filtered by MetaStudio: one upstream call per
# page, the jobs' record fields included. Pass pageInfo.endCursor as after.
query JobList {
  voiceTrainingJobs(filter: { states: [AUDIT_FAILED, FAILED, SUCCEED] }, first: 5) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      jobId
      voiceName
      state
      jobType
      createdAt
    }
  }
}`,
  `# A job's whole record: MetaStudio's state, the assessment of the recordings
# and the reviews behind its rejection, beside the status its log gives
# (3 upstream calls, sent at once).
query JobRecord {
  trainingJob(jobId: "job-algorithm-failed") {
    voiceName
    jobType
    state
    stateChangedAt
    rejectionCount
    trainingFailure {
      code
      reason
    }
    assessment {
      suggestion
      metrics {
        name
        expected
        actual
        outOfRange
      }
    }
    auditResult {
      systemReview {
        reviewedAt
        problems {
          audioName
          code
          message
        }
      }
      adminReview {
        message
        attachmentUrl
      }
    }
    status
  }
}`,
  `# Several jobs in one request: one upstream call per distinct job, and a
# failing job ("fault-503") nulls only its own operations.
query Dashboard {
  trainingJobs(jobIds: ["job-complete", "job-admin-rejected", "job-algorithm-failed", "job-empty", "fault-503"]) {
    jobId
    operations(limit: 3) {
      totalCount
      nodes {
        time
        action
        operator
      }
    }
  }
}`,
  `# Where each job is, derived from its newest operation: with a window in the
# first 100 operations, one upstream call per job.
query JobStatus {
  trainingJobs(jobIds: ["job-complete", "job-admin-rejected", "job-resubmitted", "job-training", "job-paused"]) {
    jobId
    status
    createdAt
    completedAt
    failureReason
    rejectedBy
    latestOperation {
      time
      action
    }
  }
}`,
  `# Cursor pagination over a history longer than one upstream page.
# Pass pageInfo.endCursor as $after to get the next page.
query History($after: String) {
  trainingJob(jobId: "job-long-history") {
    operations(first: 25, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      edges {
        cursor
        node {
          time
          action
          externalInfo {
            algorithmFailureReason
          }
        }
      }
    }
  }
}`,
  `# A whole history in one field: the first page gives the count, the other
# pages are read at once (151 operations: 2 upstream calls).
query FullHistory {
  trainingJob(jobId: "job-long-history") {
    operationHistory(max: 1000) {
      time
      action
      operator
    }
  }
}`,
  `# Values MetaStudio may add later arrive as UNKNOWN, with the raw string kept.
query Drift {
  trainingJob(jobId: "job-drift") {
    operations {
      nodes {
        time
        rawTime
        action
        rawAction
        operator
        rawOperator
        externalInfo {
          reviewIdList
        }
      }
    }
  }
}`,
  `# What a federation gateway sends: entity references resolved in order,
# through the same batching as the Query fields.
query Entities {
  _entities(representations: [
    { __typename: "TrainingJob", jobId: "job-algorithm-failed" }
    { __typename: "TrainingJob", jobId: "job-complete" }
  ]) {
    ... on TrainingJob {
      jobId
      operations(first: 2) {
        nodes {
          action
        }
      }
    }
  }
}`,
  `# Live events of a job that moves on by itself on the simulator (an
# operation every 2 s): its state at once, then what is new as MetaStudio
# records it, until COMPLETE_JOB. Run it again later: it completes at once.
subscription LiveJob {
  trainingJobEvents(jobId: "live-2000-graphiql") {
    status
    totalCount
    newOperations {
      time
      action
      operator
    }
    job {
      latestOperation {
        action
      }
    }
  }
}`,
];

export const EXAMPLES_DOCUMENT = `# MetaStudio voice-training jobs, on the built-in simulator.
# Press run and pick an operation. Jobs to try:
#   job-complete, job-admin-rejected, job-algorithm-failed,
#   job-long-history, job-empty, job-drift, job-created, job-in-review,
#   job-training, job-training-failed, job-uploading, job-paused, job-resubmitted,
#   job-out-of-order, job-retrained, live-<stepMs>-<name>,
#   fault-400, fault-401, fault-403, fault-429, fault-500,
#   fault-503, fault-non-json, fault-wrong-shape, fault-reset

${EXAMPLES.join('\n\n')}
`;
