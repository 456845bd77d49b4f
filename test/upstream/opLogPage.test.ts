import { describe, expect, it } from 'vitest';
import { parseOpLogPage } from '../../src/upstream/opLogPage.js';
import { toEpochMillis } from '../../src/upstream/upstreamTime.js';

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
          {
            time: 1,
            action: 'CREATE_JOB',
            operator: 'USER',
            external_info: { review_id_list: ['r'], admin_audit_failure_reason: 'no', new_field: 1 },
          },
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
          {
            time: 1,
            action: 'CREATE_JOB',
            operator: 'USER',
            externalInfo: { reviewIdList: ['r'], algorithmFailureReason: null, adminAuditFailureReason: 'no' },
          },
          { time: 2, action: 'NEW_ACTION', operator: null, externalInfo: null },
        ],
      },
    });
  });

  it('treats missing or null fields as absent: review ids [], count from the page', () => {
    expect(parseOpLogPage({}, 0)).toEqual({ ok: true, page: { count: 0, operations: [] } });
    expect(parseOpLogPage({ operations: [{ external_info: { review_id_list: null } }] }, 20)).toEqual({
      ok: true,
      page: {
        count: 21,
        operations: [
          {
            time: null,
            action: null,
            operator: null,
            externalInfo: { reviewIdList: [], algorithmFailureReason: null, adminAuditFailureReason: null },
          },
        ],
      },
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
    [
      { external_info: { review_id_list: [1] } },
      'externalInfo',
      /^operations\[0\]\.external_info\.review_id_list\[0\]: /,
    ],
    [{ external_info: 'none' }, 'externalInfo', /^operations\[0\]\.external_info: /],
  ])('keeps %j as a problem of that field alone', (operation, field, problem) => {
    const result = parseOpLogPage(
      { count: 1, operations: [{ action: 'CREATE_JOB', operator: 'USER', time: 1, ...operation }] },
      0,
    );
    expect(result.ok).toBe(true);
    const op = result.ok ? result.page.operations[0]! : undefined;
    expect(Object.keys(op?.problems ?? {})).toEqual([field]);
    expect(op?.problems?.[field as 'time']).toMatch(problem);
  });

  it('reads an int64 sent as a decimal string, and drops nulls from review ids', () => {
    const result = parseOpLogPage(
      { operations: [{ time: '1790934000000', external_info: { review_id_list: [null, 'rv-1'] } }] },
      0,
    );
    expect(result.ok && result.page.operations[0]).toEqual({
      time: 1790934000000,
      action: null,
      operator: null,
      externalInfo: { reviewIdList: ['rv-1'], algorithmFailureReason: null, adminAuditFailureReason: null },
    });
  });

  it('reads generated operations by the documented rules, field by field', () => {
    // Each pool pairs a wire value with what it must become (undefined: a problem of that field).
    const times: Array<[unknown, number | null | undefined]> = [
      [undefined, null],
      [null, null],
      [0, 0],
      [1_790_934_000, 1_790_934_000],
      [8.64e15, 8.64e15],
      ['0', 0],
      ['1790934000000', 1_790_934_000_000],
      ['8640000000000000', 8.64e15],
      [-1, undefined],
      [1.5, undefined],
      [Number.NaN, undefined],
      [2 ** 53, undefined],
      [8.64e15 + 2, undefined],
      ['12a', undefined],
      ['', undefined],
      ['12345678901234567', undefined],
      [true, undefined],
      [{}, undefined],
    ];
    const strings: Array<[unknown, string | null | undefined]> = [
      [undefined, null],
      [null, null],
      ['', ''],
      ['CREATE_JOB', 'CREATE_JOB'],
      [7, undefined],
      [false, undefined],
      [['X'], undefined],
      [{}, undefined],
    ];
    const infos: Array<[unknown, object | null | undefined]> = [
      [undefined, null],
      [null, null],
      [{}, { reviewIdList: [], algorithmFailureReason: null, adminAuditFailureReason: null }],
      [
        { review_id_list: ['a', null, 'b'], algorithm_failure_reason: 'x', extra: 1 },
        { reviewIdList: ['a', 'b'], algorithmFailureReason: 'x', adminAuditFailureReason: null },
      ],
      [
        { review_id_list: null, admin_audit_failure_reason: 'no' },
        { reviewIdList: [], algorithmFailureReason: null, adminAuditFailureReason: 'no' },
      ],
      ['none', undefined],
      [[], undefined],
      [{ review_id_list: [1] }, undefined],
      [{ review_id_list: 'a' }, undefined],
      [{ algorithm_failure_reason: 5 }, undefined],
    ];
    let seed = 0x0b5e55ed;
    const pick = <T>(items: readonly T[]): T => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return items[(seed >>> 16) % items.length]!;
    };
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const [time, expectedTime] = pick(times);
      const [action, expectedAction] = pick(strings);
      const [operator, expectedOperator] = pick(strings);
      const [info, expectedInfo] = pick(infos);
      const result = parseOpLogPage({ count: 1, operations: [{ time, action, operator, external_info: info }] }, 0);
      expect(result.ok).toBe(true);
      const op = result.ok ? result.page.operations[0]! : undefined;
      const expectedProblems = [
        ...(expectedInfo === undefined ? ['externalInfo'] : []),
        ...(expectedTime === undefined ? ['time'] : []),
        ...(expectedAction === undefined ? ['action'] : []),
        ...(expectedOperator === undefined ? ['operator'] : []),
      ];
      seen.add(expectedProblems.join());
      expect({ ...op, problems: Object.keys(op?.problems ?? {}) }).toEqual({
        time: expectedTime ?? null,
        action: expectedAction ?? null,
        operator: expectedOperator ?? null,
        externalInfo: expectedInfo ?? null,
        problems: expectedProblems,
      });
    }
    // Both the plain path (no problem) and zod's (every mix of problems) were taken.
    expect(seen.has('')).toBe(true);
    expect(seen.size).toBeGreaterThan(10);
  });
});
