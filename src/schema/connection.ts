// A page of a job's operation log, in both the offset form and the Relay
// connection form. Page info comes from the upstream's count, not from asking
// for one extra row: the upstream caps a page at 100.
import type { OperationLog } from '../upstream/opLogPage.js';
import { builder } from './builder.js';
import { encodeCursor, type CursorKind } from './cursor.js';
import { OperationLogItemRef } from './operationLog.js';

interface OperationLogSlice {
  offset: number;
  count: number;
  operations: OperationLog[];
}

interface Edge {
  cursor: string;
  node: OperationLog;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

// Shareable: other Relay-style subgraphs define the same PageInfo.
export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  shareable: true,
  description: 'Relay page information.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'True when items exist after this page.' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', {
      description: 'True when this page does not start at offset 0.',
    }),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** A page of `size` items at `offset` of `count` in all: page info from the upstream's count. */
export function pageInfoOf(offset: number, size: number, count: number, kind: CursorKind): PageInfo {
  return {
    hasNextPage: offset + size < count,
    hasPreviousPage: offset > 0,
    startCursor: size > 0 ? encodeCursor(offset, kind) : null,
    endCursor: size > 0 ? encodeCursor(offset + size - 1, kind) : null,
  };
}

const OperationLogEdgeRef = builder.objectRef<Edge>('OperationLogEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque; pass it as `after` to continue after this operation.' }),
    // Exposed rather than resolved: compiled execution then reads it inline, with no resolver call per edge.
    node: t.expose('node', { type: OperationLogItemRef }),
  }),
});

export const OperationLogConnectionRef = builder.objectRef<OperationLogSlice>('OperationLogConnection').implement({
  description: 'A window of a training job operation log, oldest first as MetaStudio returns it.',
  fields: (t) => ({
    totalCount: t.exposeInt('count', { description: 'How many operations the job has in all (the upstream `count`).' }),
    offset: t.exposeInt('offset', { description: 'Position of the first operation of this page in the whole log.' }),
    nodes: t.field({ type: [OperationLogItemRef], resolve: (page) => page.operations }),
    edges: t.field({
      type: [OperationLogEdgeRef],
      resolve: (page) => page.operations.map((node, i) => ({ cursor: encodeCursor(page.offset + i), node })),
    }),
    pageInfo: t.field({
      type: PageInfoRef,
      resolve: ({ offset, count, operations }) => pageInfoOf(offset, operations.length, count, 'oplog'),
    }),
  }),
});
