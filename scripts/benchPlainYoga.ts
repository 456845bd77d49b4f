// A calibration row of the benchmark: our job done the simplest way a yoga
// subgraph would do it. Hand-written SDL, plain resolvers, one per-request
// DataLoader keyed by job and window, the same signed undici call as ours. No
// validation of arguments or of the upstream's answer, no retries, no limits,
// no logging, no metrics: what is left is the framework plus the call.
import { buildSubgraphSchema } from '@apollo/subgraph';
import DataLoader from 'dataloader';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { UpstreamConfig } from '../src/config.js';
import { encodeCursor } from '../src/schema/cursor.js';
import { toEpochMillis } from '../src/upstream/upstreamTime.js';
import { signedOpLogs } from './benchPassthrough.js';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    trainingJob(jobId: ID!): TrainingJob
    trainingJobs(jobIds: [ID!]!): [TrainingJob]!
  }

  type TrainingJob @key(fields: "jobId") {
    jobId: ID!
    operations(offset: Int, limit: Int, first: Int): OperationLogConnection
  }

  type OperationLogConnection {
    totalCount: Int!
    offset: Int!
    nodes: [OperationLogItem!]!
    edges: [OperationLogEdge!]!
    pageInfo: PageInfo!
  }

  type OperationLogEdge {
    cursor: String!
    node: OperationLogItem!
  }

  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type OperationLogItem {
    time: String!
    action: String
    operator: String
    externalInfo: OpExternalInfo
  }

  type OpExternalInfo {
    reviewIdList: [String!]!
    algorithmFailureReason: String
    adminAuditFailureReason: String
  }
`);

interface WireOperation {
  time: number;
  action?: string;
  operator?: string;
  external_info?: {
    review_id_list?: string[] | null;
    algorithm_failure_reason?: string;
    admin_audit_failure_reason?: string;
  } | null;
}
interface Page {
  offset: number;
  count: number;
  operations: WireOperation[];
}
interface Context {
  pages: DataLoader<string, Page>;
}

export function plainYoga(upstream: UpstreamConfig, connections: number) {
  const pages = signedOpLogs(upstream, connections);
  async function fetchPage(key: string): Promise<Page> {
    const [jobId, offset, limit] = key.split('\n') as [string, string, string];
    const window = { jobId, offset: Number(offset), limit: Number(limit) };
    const { count, operations } = await pages.fetchPage(window);
    return { offset: window.offset, count, operations: operations as WireOperation[] };
  }

  const resolvers = {
    Query: {
      trainingJob: (_: unknown, { jobId }: { jobId: string }) => ({ jobId }),
      trainingJobs: (_: unknown, { jobIds }: { jobIds: string[] }) => jobIds.map((jobId) => ({ jobId })),
    },
    TrainingJob: {
      __resolveReference: ({ jobId }: { jobId: string }) => ({ jobId }),
      operations: (
        job: { jobId: string },
        args: { offset?: number; limit?: number; first?: number },
        { pages }: Context,
      ) => pages.load(`${job.jobId}\n${args.offset ?? 0}\n${args.first ?? args.limit ?? 10}`),
    },
    OperationLogConnection: {
      totalCount: (page: Page) => page.count,
      nodes: (page: Page) => page.operations,
      edges: (page: Page) => page.operations.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node })),
      pageInfo: ({ offset, count, operations }: Page) => ({
        hasNextPage: offset + operations.length < count,
        hasPreviousPage: offset > 0,
        startCursor: operations.length > 0 ? encodeCursor(offset) : null,
        endCursor: operations.length > 0 ? encodeCursor(offset + operations.length - 1) : null,
      }),
    },
    OperationLogItem: {
      time: (op: WireOperation) => new Date(toEpochMillis(op.time)).toISOString(),
      externalInfo: ({ external_info: info }: WireOperation) =>
        info
          ? {
              reviewIdList: info.review_id_list ?? [],
              algorithmFailureReason: info.algorithm_failure_reason ?? null,
              adminAuditFailureReason: info.admin_audit_failure_reason ?? null,
            }
          : null,
    },
  };

  const yoga = createYoga<Record<string, never>, Context>({
    schema: buildSubgraphSchema([{ typeDefs, resolvers }]),
    context: () => ({ pages: new DataLoader((keys: readonly string[]) => Promise.all(keys.map(fetchPage))) }),
  });
  return { yoga, close: () => pages.close() };
}
