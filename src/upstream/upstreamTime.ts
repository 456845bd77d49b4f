// Our reading of MetaStudio's times, where its documentation is silent (see
// docs/upstream.md), in one place: the int64 times it sends (op-logs `time`,
// a job's `create_time` and `lastupdate_time`, an audit's `audit_time`), and
// the time filters it takes (`create_since`, `create_until`, `update_since`,
// `update_until`).

/** Latest instant a JS Date can hold, in epoch milliseconds. */
export const MAX_EPOCH_MS = 8.64e15;

/** Values below 10^11 are epoch seconds (10^11 s is the year 5138); larger ones are milliseconds. */
export function toEpochMillis(time: number): number {
  return time < 1e11 ? time * 1000 : time;
}

/**
 * A time filter's value: RFC 3339 in UTC with second precision
 * (`2021-01-10T08:43:17Z`), as MetaStudio's other list APIs document theirs.
 * The fraction of a second is dropped.
 */
export function formatFilterTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}
