// Timers a test fires by hand, for pollers: no test waits on the wall clock.
import type { Timers } from '../../src/live/jobPoller.js';

interface Pending {
  callback: () => void;
  ms: number;
}

export class ManualTimers implements Timers {
  /** Every wait asked for, in order. */
  readonly requested: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private waiters: Array<() => void> = [];

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.set(id, { callback, ms });
    this.requested.push(ms);
    for (const wake of this.waiters.splice(0)) wake();
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** The pending waits that `which` picks, e.g. polls but not the duration limit. */
  waits(which: (ms: number) => boolean = () => true): number[] {
    return [...this.pending.values()].filter(({ ms }) => which(ms)).map(({ ms }) => ms);
  }

  /** Runs the pending timers that `which` picks. */
  fire(which: (ms: number) => boolean = () => true): number {
    let fired = 0;
    for (const [id, { callback, ms }] of [...this.pending]) {
      if (!which(ms)) continue;
      this.pending.delete(id);
      callback();
      fired++;
    }
    return fired;
  }

  /** Resolves once `count` timers in all have been asked for. */
  async scheduled(count: number): Promise<void> {
    while (this.requested.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
