// TrainingJobInfo as the list and details carry it: every field optional, a
// wrong type a problem of that field alone, phone never kept.
import { describe, expect, it } from 'vitest';
import { parseTrainingJobInfo } from '../../src/upstream/trainingJobInfo.js';
import { voiceTrainingJobs } from '../../src/upstream/voiceTrainingJobs.js';

describe('parseTrainingJobInfo', () => {
  it('reads every field, int64 as a decimal string too, and keeps no phone', () => {
    const info = parseTrainingJobInfo({
      job_id: 'j',
      state: 'SUCCEED',
      create_time: '1790934000',
      reject_times: 2,
      is_remake: false,
      phone: '+86 138 0000 0000',
      assess_result: { suggestion: 'ok', snr: { expected: '>=30', actual: 31.5, status: -1 }, future_metric: {} },
      allocated_resource: { resource_id: 'r', charge_mode: 'ON_DEMAND' },
      something_new: { nested: true },
    });
    expect(info).toMatchObject({
      jobId: 'j',
      state: 'SUCCEED',
      createTime: 1790934000,
      rejectTimes: 2,
      isRemake: false,
      voiceName: null,
      assessment: {
        suggestion: 'ok',
        metrics: [{ name: 'snr', expected: '>=30', actual: '31.5', suggestion: null, suggestionEn: null, status: -1 }],
      },
      allocatedResource: { resourceId: 'r', chargeMode: 'ON_DEMAND', expireTime: null },
    });
    expect(info.problems).toBeUndefined();
    expect(JSON.stringify(info)).not.toContain('138');
  });

  it('keeps a wrong type as a problem of that field alone', () => {
    const info = parseTrainingJobInfo(
      { voice_name: 'v', is_remake: 'no', assess_result: { snr: 'bad' }, lastupdate_time: -5 },
      'jobs[2].',
    );
    expect(info.voiceName).toBe('v');
    expect(info.problems).toEqual({
      isRemake: 'jobs[2].is_remake: expected a boolean',
      assessment: expect.stringMatching(/^jobs\[2\]\.assess_result: expected/),
      lastUpdateTime: 'jobs[2].lastupdate_time: expected an epoch time',
    });
  });
});

describe('the list page', () => {
  const parse = (body: unknown) => voiceTrainingJobs.parse(body, { offset: 20, limit: 10 });

  it('takes a page without a count as the last one', () => {
    expect(parse({ jobs: [{ job_id: 'a' }] })).toMatchObject({ ok: true, value: { count: 21 } });
  });

  it('refuses a page it cannot use at all', () => {
    expect(parse([])).toEqual({ ok: false, problem: 'body: expected an object' });
    expect(parse({ count: '3' })).toMatchObject({ ok: false });
    expect(parse({ jobs: {} })).toEqual({ ok: false, problem: 'jobs: expected an array' });
    expect(parse({ jobs: [{}, 'x'] })).toEqual({ ok: false, problem: 'jobs[1]: expected an object' });
  });
});
