// A second subgraph, as a platform team would have next to ours: the studio's
// voice models. Each names the training job that produced it by the job's key,
// so the gateway crosses from `VoiceModel.trainingJob` into the op-logs
// subgraph's `TrainingJob.operations`. Its Relay `PageInfo` is its own, shared
// with ours, which is what composition has to accept.
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';

export interface VoiceModel {
  id: string;
  name: string;
  language: string;
  jobId: string;
}

// Job ids the built-in simulator knows, one of them always failing (fault-503),
// and one job that produced two models.
export const VOICE_MODELS: readonly VoiceModel[] = [
  { id: 'vm-1', name: 'Studio narrator', language: 'zh-CN', jobId: 'job-complete' },
  { id: 'vm-2', name: 'Studio narrator (HD export)', language: 'zh-CN', jobId: 'job-complete' },
  { id: 'vm-3', name: 'Customer service', language: 'en-US', jobId: 'job-admin-rejected' },
  { id: 'vm-4', name: 'News anchor', language: 'zh-CN', jobId: 'job-algorithm-failed' },
  { id: 'vm-5', name: 'Audiobook reader', language: 'en-US', jobId: 'job-long-history' },
  { id: 'vm-6', name: 'Game character', language: 'ja-JP', jobId: 'fault-503' },
  { id: 'vm-7', name: 'Weather presenter', language: 'en-US', jobId: 'job-empty' },
];

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])

  type Query {
    "The studio's voice models in creation order, Relay-paged."
    voiceModels(first: Int = 20, after: String): VoiceModelConnection!
  }

  type VoiceModel {
    id: ID!
    name: String!
    language: String!
    "The MetaStudio training job that produced this model (resolved by the op-logs subgraph)."
    trainingJob: TrainingJob!
  }

  "Owned by the op-logs subgraph; referenced here by its key only."
  type TrainingJob @key(fields: "jobId", resolvable: false) {
    jobId: ID!
  }

  type VoiceModelConnection {
    totalCount: Int!
    nodes: [VoiceModel!]!
    edges: [VoiceModelEdge!]!
    pageInfo: PageInfo!
  }

  type VoiceModelEdge {
    cursor: String!
    node: VoiceModel!
  }

  "Relay page information."
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
`);

const cursorOf = (index: number) => Buffer.from(`voice-model:${index}`).toString('base64url');

function indexAfter(after: string): number {
  const match = /^voice-model:(\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  if (!match)
    throw new GraphQLError('after is not a cursor issued by this server', { extensions: { code: 'BAD_USER_INPUT' } });
  return Number(match[1]) + 1;
}

const resolvers = {
  Query: {
    voiceModels: (_: unknown, { first, after }: { first: number; after?: string | null }) => {
      if (first < 1 || first > 100) {
        throw new GraphQLError(`first must be between 1 and 100 (got ${first})`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      const start = after ? indexAfter(after) : 0;
      const edges = VOICE_MODELS.slice(start, start + first).map((node, i) => ({ cursor: cursorOf(start + i), node }));
      return {
        totalCount: VOICE_MODELS.length,
        nodes: edges.map((edge) => edge.node),
        edges,
        pageInfo: {
          hasNextPage: start + edges.length < VOICE_MODELS.length,
          hasPreviousPage: start > 0,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  },
  VoiceModel: {
    trainingJob: (model: VoiceModel) => ({ jobId: model.jobId }),
  },
};

export const voiceModelsSchema = buildSubgraphSchema({ typeDefs, resolvers });
