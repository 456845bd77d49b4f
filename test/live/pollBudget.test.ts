// The polling budget's floor: over this process's pollers and its part of the
// share, or, while replicas share pollers through Redis, over the jobs polled
// in the whole cluster and the whole share.
import { describe, expect, it } from 'vitest';
import { PollBudget } from '../../src/live/pollBudget.js';

// 0.5 of 20 calls a second: 10 polls a second for all pollers together.
const settings = { pollMs: 100, pollMaxMs: 60_000, upstreamShare: 0.5, rateLimit: 20 };

function budget(localPollers: number, replicas: number, clusterPollers?: () => number | null): PollBudget {
  const made = new PollBudget({ ...settings, replicas: () => replicas, clusterPollers });
  for (let i = 0; i < localPollers; i++) made.track(1);
  return made;
}

describe('PollBudget', () => {
  it('in one process: N pollers at R calls a second wait N / R seconds at least', () => {
    expect(budget(30, 1).floorMs).toBe(3_000);
    expect(budget(1, 1).floorMs).toBe(settings.pollMs);
  });

  it('replicas each polling their own jobs divide the share between them', () => {
    // 30 pollers on this replica, a third of 10 a second.
    expect(budget(30, 3).floorMs).toBe(9_000);
  });

  it('with one poller per job in the cluster: the jobs polled cluster-wide share the whole share, wherever they are polled', () => {
    // 30 jobs polled in the cluster, 10 of them here: 30 polls per 3 s is the whole share.
    expect(budget(10, 3, () => 30).floorMs).toBe(3_000);
    // Redis down (count unknown): back to this replica's pollers and its part.
    expect(budget(10, 3, () => null).floorMs).toBe(3_000);
    expect(budget(30, 3, () => null).floorMs).toBe(9_000);
  });
});
