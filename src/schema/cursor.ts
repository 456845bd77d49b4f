// Opaque Relay cursors. A cursor names one position (offset) in one kind of
// list: a job's operation log (`oplog`) or the job list (`jobs`); the same
// offset always gives the same cursor, and a cursor of one kind is no cursor of the other.
export type CursorKind = 'oplog' | 'jobs';

export function encodeCursor(offset: number, kind: CursorKind = 'oplog'): string {
  return Buffer.from(`${kind}:${offset}`).toString('base64url');
}

/** The offset a cursor names, or null when this server could not have issued it. */
export function decodeCursor(cursor: string, maxOffset: number, kind: CursorKind = 'oplog'): number | null {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) return null;
  const match = /^([a-z]+):(0|[1-9]\d{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match || match[1] !== kind) return null;
  const offset = Number(match[2]);
  // Round-trip, so that no second spelling of a cursor is accepted.
  return offset <= maxOffset && encodeCursor(offset, kind) === cursor ? offset : null;
}
