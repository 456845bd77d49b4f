// The owner memo in process: per (app user, job), each entry for its own TTL.
import { describe, expect, it } from 'vitest';
import { LocalOwnerMemo } from '../../src/scope/ownerMemo.js';

describe('LocalOwnerMemo', () => {
  it('remembers each (app user, job) for its own TTL, and nothing for 0', async () => {
    // lru-cache counts an entry started at 0 as never expiring; real clocks are never 0.
    let now = 1;
    const memo = new LocalOwnerMemo(() => now);
    await memo.set('alice', 'job-1', 'owner', 1_000);
    await memo.set('bob', 'job-1', 'foreign', 100);
    await memo.set('alice', 'job-2', 'unknown', 0);
    expect(await memo.get('alice', 'job-1')).toBe('owner');
    expect(await memo.get('bob', 'job-1')).toBe('foreign');
    expect(await memo.get('Alice', 'job-1')).toBeUndefined();
    expect(await memo.get('alice', 'job-2')).toBeUndefined();
    now = 102;
    expect(await memo.get('bob', 'job-1')).toBeUndefined();
    expect(await memo.get('alice', 'job-1')).toBe('owner');
    now = 1_002;
    expect(await memo.get('alice', 'job-1')).toBeUndefined();
  });

  it('keeps ids apart that would run together', async () => {
    const memo = new LocalOwnerMemo();
    await memo.set('a","b', 'c', 'owner', 1_000);
    expect(await memo.get('a', 'b","c')).toBeUndefined();
  });
});
