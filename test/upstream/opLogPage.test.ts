import { describe, expect, it } from 'vitest';
import { parseOpLogPage, toEpochMillis } from '../../src/upstream/opLogPage.js';

describe('toEpochMillis', () => {
  it('reads values below 10^11 as seconds and the rest as milliseconds', () => {
    expect(toEpochMillis(0)).toBe(0);
    expect(toEpochMillis(1_790_000_000)).toBe(1_790_000_000_000);
    expect(toEpochMillis(99_999_999_999)).toBe(99_999_999_999_000);
    expect(toEpochMillis(100_000_000_000)).toBe(100_000_000_000);
    expect(toEpochMillis(1_790_000_000_123)).toBe(1_790_000_000_123);
  });
});

describe('parseOpLogPage', () => {
  it('normalizes a documented body and ignores extra fields', () => {
    const result = parseOpLogPage(
      {
        count: 2,
        extra: true,
        operations: [
          { time: 1, action: 'CREATE_JOB', operator: 'USER', external_info: { review_id_list: ['r'], admin_audit_failure_reason: 'no', new_field: 1 } },
          { time: 2, action: 'NEW_ACTION' },
        ],
      },
      0,
    );
    expect(result).toEqual({
      ok: true,
      page: {
        count: 2,
        operations: [
          { time: 1, action: 'CREATE_JOB', operator: 'USER', externalInfo: { reviewIdList: ['r'], algorithmFailureReason: null, adminAuditFailureReason: 'no' } },
          { time: 2, action: 'NEW_ACTION', operator: null, externalInfo: null },
        ],
      },
    });
  });

  it('treats missing or null fields as absent: review ids [], count from the page', () => {
    expect(parseOpLogPage({}, 0)).toEqual({ ok: true, page: { count: 0, operations: [] } });
    expect(parseOpLogPage({ operations: [{ external_info: { review_id_list: null } }] }, 20)).toEqual({
      ok: true,
      page: { count: 21, operations: [{ time: null, action: null, operator: null, externalInfo: { reviewIdList: [], algorithmFailureReason: null, adminAuditFailureReason: null } }] },
    });
  });

  it.each([
    [null, /^body: /],
    [[], /^body: /],
    [{ count: '3' }, /^count: .*number/],
    [{ count: -1 }, /^count/],
    [{ count: 2 ** 31 }, /^count/],
    [{ count: 1.5 }, /^count/],
    [{ operations: {} }, /^operations: /],
    [{ operations: ['CREATE_JOB'] }, /^operations\[0\]: /],
  ])('refuses the page %j, naming where', (body, problem) => {
    const result = parseOpLogPage(body, 0);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(problem);
  });

  it.each([
    [{ time: '2026-01-01' }, 'time', /^operations\[0\]\.time: /],
    [{ time: -5 }, 'time', /^operations\[0\]\.time: /],
    [{ time: 1.5 }, 'time', /^operations\[0\]\.time: /],
    [{ action: 7 }, 'action', /^operations\[0\]\.action: /],
    [{ operator: ['ADMIN'] }, 'operator', /^operations\[0\]\.operator: /],
    [{ external_info: { review_id_list: [1] } }, 'externalInfo', /^operations\[0\]\.external_info\.review_id_list\[0\]: /],
    [{ external_info: 'none' }, 'externalInfo', /^operations\[0\]\.external_info: /],
  ])('keeps %j as a problem of that field alone', (operation, field, problem) => {
    const result = parseOpLogPage({ count: 1, operations: [{ action: 'CREATE_JOB', operator: 'USER', time: 1, ...operation }] }, 0);
    expect(result.ok).toBe(true);
    const op = result.ok ? result.page.operations[0]! : undefined;
    expect(Object.keys(op?.problems ?? {})).toEqual([field]);
    expect(op?.problems?.[field as 'time']).toMatch(problem);
  });

  it('reads an int64 sent as a decimal string, and drops nulls from review ids', () => {
    const result = parseOpLogPage({ operations: [{ time: '1790934000000', external_info: { review_id_list: [null, 'rv-1'] } }] }, 0);
    expect(result.ok && result.page.operations[0]).toEqual({
      time: 1790934000000,
      action: null,
      operator: null,
      externalInfo: { reviewIdList: ['rv-1'], algorithmFailureReason: null, adminAuditFailureReason: null },
    });
  });
});
