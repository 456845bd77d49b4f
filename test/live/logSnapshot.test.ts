// What a snapshot answers, and what of it travels to other replicas.
import { describe, expect, it } from 'vitest';
import { endOf, newest, pageFromSnapshot, trimmed, type LogSnapshot } from '../../src/live/logSnapshot.js';
import type { OperationLog } from '../../src/upstream/opLogPage.js';

const ops = (from: number, to: number): OperationLog[] =>
  Array.from({ length: to - from }, (_, i) => ({
    time: from + i,
    action: 'COMMIT_JOB',
    operator: 'USER',
    externalInfo: null,
  }));
const positions = (snapshot: LogSnapshot) =>
  snapshot.segments.map(({ offset, operations }) => [offset, offset + operations.length, operations[0]?.time]);

describe('trimmed', () => {
  it('keeps a short log whole', () => {
    const snapshot: LogSnapshot = { jobId: 'j', count: 150, segments: [{ offset: 0, operations: ops(0, 150) }] };
    expect(positions(trimmed(snapshot))).toEqual([[0, 150, 0]]);
  });

  it('keeps the first page and the newest page of a long one, and answers the same windows in them', () => {
    const snapshot: LogSnapshot = {
      jobId: 'j',
      count: 1_300,
      segments: [
        { offset: 0, operations: ops(0, 100) },
        { offset: 300, operations: ops(300, 1_300) },
      ],
    };
    const kept = trimmed(snapshot);
    expect(positions(kept)).toEqual([
      [0, 100, 0],
      [1_200, 1_300, 1_200],
    ]);
    expect(endOf(kept)).toBe(endOf(snapshot));
    expect(newest(kept)).toEqual(newest(snapshot));
    for (const window of [
      { offset: 0, limit: 100 },
      { offset: 1_250, limit: 50 },
    ]) {
      expect(pageFromSnapshot(kept, { jobId: 'j', ...window })).toEqual(
        pageFromSnapshot(snapshot, { jobId: 'j', ...window }),
      );
    }
    expect(pageFromSnapshot(kept, { jobId: 'j', offset: 500, limit: 10 })).toBeUndefined();
  });
});
