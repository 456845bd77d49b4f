import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/schema/cursor.js';

describe('cursors', () => {
  it('round-trip every offset, opaquely and stably', () => {
    for (const offset of [0, 1, 9, 10, 99, 100, 12345, 2147483646]) {
      const cursor = encodeCursor(offset);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(cursor).not.toContain(String(offset));
      expect(encodeCursor(offset)).toBe(cursor);
      expect(decodeCursor(cursor, 2147483646)).toBe(offset);
    }
  });

  it('refuse anything this server could not have issued', () => {
    const forged = (text: string) => Buffer.from(text).toString('base64url');
    for (const cursor of [
      '',
      '!!!',
      'a'.repeat(40),
      forged('oplog:'),
      forged('oplog:007'),
      forged('oplog:1e3'),
      forged('oplog:3 '),
      forged('other:3'),
      `${encodeCursor(3)}=`,
    ]) {
      expect(decodeCursor(cursor, 2147483646)).toBeNull();
    }
    expect(decodeCursor(encodeCursor(2147483647), 2147483646)).toBeNull();
  });
});
