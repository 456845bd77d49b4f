/** The actions a simulator `live-<stepMs>-<name>` job gains, one per step, up to COMPLETE_JOB. */
export const LIVE_LIFECYCLE = [
  'CREATE_JOB',
  'COMMIT_JOB',
  'SYSTEM_AUDIT_PASS',
  'ADMIN_AUDIT_PASS',
  'TRAINING_FINISH',
  'UPLOADING_MODEL',
  'COMPLETE_JOB',
];
