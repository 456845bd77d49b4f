// Opaque Relay cursors. A cursor names one position (offset) in a job's
// operation log; the same offset always gives the same cursor.
const PREFIX = 'oplog:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`).toString('base64url');
}

/** The offset a cursor names, or null when this server could not have issued it. */
export function decodeCursor(cursor: string, maxOffset: number): number | null {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(cursor)) return null;
  const match = /^oplog:(0|[1-9]\d{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) return null;
  const offset = Number(match[1]);
  // Round-trip, so that no second spelling of a cursor is accepted.
  return offset <= maxOffset && encodeCursor(offset) === cursor ? offset : null;
}
