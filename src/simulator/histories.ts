// Job histories the simulator serves, in the upstream's wire format
// (snake_case, oldest first). Deterministic, so docs and tests can rely on them.

export interface WireExternalInfo {
  review_id_list?: string[] | null;
  algorithm_failure_reason?: string;
  admin_audit_failure_reason?: string;
}

export interface WireOperation {
  time?: number;
  action?: string;
  operator?: string;
  external_info?: WireExternalInfo | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Builds a history from steps spaced in time, starting at `start` (epoch ms). */
function timeline(start: number, steps: Array<[gapMs: number, op: Omit<WireOperation, 'time'>]>): WireOperation[] {
  let time = start;
  return steps.map(([gap, op]) => {
    time += gap;
    return { time, ...op };
  });
}

const reviewIds = (prefix: string) => [`${prefix}-speech-1`, `${prefix}-speech-2`];

const completeLifecycle = timeline(Date.UTC(2026, 9, 2, 9, 15), [
  [0, { action: 'CREATE_JOB', operator: 'USER', external_info: { review_id_list: [] } }],
  [25 * MINUTE, { action: 'COMMIT_JOB', operator: 'USER', external_info: { review_id_list: [] } }],
  [
    3 * MINUTE,
    { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: reviewIds('rv-7c1e') } },
  ],
  [
    5 * HOUR,
    { action: 'ADMIN_AUDIT_PASS', operator: 'ADMIN', external_info: { review_id_list: reviewIds('rv-7c1e') } },
  ],
  [9 * HOUR, { action: 'TRAINING_FINISH', operator: 'SYSTEM', external_info: { review_id_list: [] } }],
  [20 * MINUTE, { action: 'UPLOADING_MODEL', operator: 'SYSTEM', external_info: { review_id_list: [] } }],
  [12 * MINUTE, { action: 'COMPLETE_JOB', operator: 'SYSTEM', external_info: { review_id_list: [] } }],
]);

const adminRejected = timeline(Date.UTC(2026, 9, 14, 13, 40), [
  [0, { action: 'CREATE_JOB', operator: 'USER' }],
  [40 * MINUTE, { action: 'COMMIT_JOB', operator: 'USER' }],
  [
    2 * MINUTE,
    { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: reviewIds('rv-19ab') } },
  ],
  [
    DAY,
    {
      action: 'AUDIT_NOT_PASS',
      operator: 'ADMIN',
      external_info: {
        review_id_list: reviewIds('rv-19ab'),
        admin_audit_failure_reason:
          'The authorization letter does not match the voice owner named in the job. Upload a signed letter from the speaker.',
      },
    },
  ],
]);

const algorithmFailed = timeline(Date.UTC(2026, 10, 3, 8, 0), [
  [0, { action: 'CREATE_JOB', operator: 'USER' }],
  [15 * MINUTE, { action: 'COMMIT_JOB', operator: 'USER' }],
  [
    4 * MINUTE,
    {
      action: 'AUDIT_NOT_PASS',
      operator: 'SYSTEM',
      external_info: {
        review_id_list: ['rv-5d02-speech-1'],
        algorithm_failure_reason:
          'Background noise above the allowed level in 14 of 30 recordings (SNR below 30 dB). Re-record in a quiet room.',
      },
    },
  ],
]);

/**
 * A job resubmitted many times: 151 operations, so more than one upstream page.
 * Its times are epoch seconds, as some API versions return them.
 */
const longHistory: WireOperation[] = (() => {
  const steps: Array<[number, Omit<WireOperation, 'time'>]> = [[0, { action: 'CREATE_JOB', operator: 'USER' }]];
  for (let round = 1; steps.length < 146; round++) {
    steps.push([HOUR, { action: 'COMMIT_JOB', operator: 'USER' }]);
    steps.push([
      5 * MINUTE,
      {
        action: 'AUDIT_NOT_PASS',
        operator: 'SYSTEM',
        external_info: {
          review_id_list: [`rv-long-${round}`],
          algorithm_failure_reason: `Round ${round}: clipped audio in recording ${(round % 30) + 1}`,
        },
      },
    ]);
  }
  steps.push([HOUR, { action: 'COMMIT_JOB', operator: 'USER' }]);
  steps.push([
    5 * MINUTE,
    { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: ['rv-long-final'] } },
  ]);
  steps.push([
    3 * HOUR,
    { action: 'ADMIN_AUDIT_PASS', operator: 'ADMIN', external_info: { review_id_list: ['rv-long-final'] } },
  ]);
  steps.push([8 * HOUR, { action: 'TRAINING_FINISH', operator: 'SYSTEM' }]);
  return timeline(Date.UTC(2026, 6, 1, 7, 0), steps).map((op) => ({ ...op, time: Math.floor(op.time! / 1000) }));
})();

/** What the API may grow into: values this server does not know yet, fields left out. */
const drifted: WireOperation[] = [
  {
    time: Date.UTC(2026, 10, 20, 10, 0),
    action: 'CREATE_JOB',
    operator: 'USER',
    external_info: { review_id_list: null },
  },
  { time: Date.UTC(2026, 10, 20, 10, 5), action: 'PAUSE_JOB', operator: 'SCHEDULER' },
  { time: Date.UTC(2026, 10, 20, 10, 9), action: 'COMMIT_JOB', operator: 'USER', external_info: null },
];

/** The first `steps` operations of a fresh lifecycle, for jobs caught at each stage. */
const lifecycleUpTo = (steps: number, start: number) =>
  timeline(start, [
    [0, { action: 'CREATE_JOB', operator: 'USER', external_info: { review_id_list: [] } }],
    [10 * MINUTE, { action: 'COMMIT_JOB', operator: 'USER', external_info: { review_id_list: [] } }],
    [
      2 * MINUTE,
      { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: reviewIds('rv-3e90') } },
    ],
    [
      4 * HOUR,
      { action: 'ADMIN_AUDIT_PASS', operator: 'ADMIN', external_info: { review_id_list: reviewIds('rv-3e90') } },
    ],
    [7 * HOUR, { action: 'TRAINING_FINISH', operator: 'SYSTEM', external_info: { review_id_list: [] } }],
    [15 * MINUTE, { action: 'UPLOADING_MODEL', operator: 'SYSTEM', external_info: { review_id_list: [] } }],
  ]).slice(0, steps);

/** Newest is an action this server does not know yet. */
const paused: WireOperation[] = [
  ...lifecycleUpTo(2, Date.UTC(2026, 10, 21, 9, 0)),
  { time: Date.UTC(2026, 10, 21, 9, 30), action: 'PAUSE_JOB', operator: 'SCHEDULER' },
];

/** Rejected, then committed again: back in review, the rejection behind it. */
const resubmitted = timeline(Date.UTC(2026, 10, 10, 14, 0), [
  [0, { action: 'CREATE_JOB', operator: 'USER' }],
  [20 * MINUTE, { action: 'COMMIT_JOB', operator: 'USER' }],
  [
    3 * MINUTE,
    {
      action: 'AUDIT_NOT_PASS',
      operator: 'SYSTEM',
      external_info: {
        review_id_list: ['rv-8a41-speech-1'],
        algorithm_failure_reason: 'Recording 7 is shorter than 3 seconds.',
      },
    },
  ],
  [2 * HOUR, { action: 'COMMIT_JOB', operator: 'USER' }],
]);

/** Listed out of time order: the admin's approval is newest although the system review is listed last. */
const outOfOrder: WireOperation[] = (() => {
  const [create, commit, systemPass, adminPass] = lifecycleUpTo(4, Date.UTC(2026, 10, 25, 8, 0));
  return [create!, commit!, adminPass!, systemPass!];
})();

/** Trained twice: two COMPLETE_JOBs, the newest one counts. */
const retrained: WireOperation[] = [
  ...completeLifecycle,
  ...timeline(Date.UTC(2026, 11, 1, 9, 0), [
    [0, { action: 'COMMIT_JOB', operator: 'USER' }],
    [
      2 * MINUTE,
      { action: 'SYSTEM_AUDIT_PASS', operator: 'SYSTEM', external_info: { review_id_list: reviewIds('rv-c210') } },
    ],
    [
      3 * HOUR,
      { action: 'ADMIN_AUDIT_PASS', operator: 'ADMIN', external_info: { review_id_list: reviewIds('rv-c210') } },
    ],
    [8 * HOUR, { action: 'TRAINING_FINISH', operator: 'SYSTEM' }],
    [10 * MINUTE, { action: 'UPLOADING_MODEL', operator: 'SYSTEM' }],
    [10 * MINUTE, { action: 'COMPLETE_JOB', operator: 'SYSTEM' }],
  ]),
];

export const JOB_HISTORIES: ReadonlyMap<string, readonly WireOperation[]> = new Map([
  ['job-complete', completeLifecycle],
  ['job-admin-rejected', adminRejected],
  ['job-algorithm-failed', algorithmFailed],
  ['job-long-history', longHistory],
  ['job-empty', []],
  ['job-drift', drifted],
  ['job-created', lifecycleUpTo(1, Date.UTC(2026, 10, 22, 10, 0))],
  ['job-in-review', lifecycleUpTo(3, Date.UTC(2026, 10, 23, 10, 0))],
  ['job-training', lifecycleUpTo(4, Date.UTC(2026, 10, 24, 10, 0))],
  // Approved, then failed in training: the log still ends with ADMIN_AUDIT_PASS (jobCatalogue.ts adds the failure).
  ['job-training-failed', lifecycleUpTo(4, Date.UTC(2026, 10, 27, 10, 0))],
  ['job-uploading', lifecycleUpTo(6, Date.UTC(2026, 10, 26, 10, 0))],
  ['job-paused', paused],
  ['job-resubmitted', resubmitted],
  ['job-out-of-order', outOfOrder],
  ['job-retrained', retrained],
]);
