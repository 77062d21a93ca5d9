import type { EngineTimers } from "../engine/timers";

interface Pending {
  at: number;
  order: number;
  callback: () => void;
}

/**
 * Engine timers on a clock that moves only when a test says so: watchdogs and slow simulated loads are tested
 * in virtual time, deterministically, without waiting.
 */
export class ManualTimers implements EngineTimers {
  private time = 0;
  private order = 0;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, callback: () => void): () => void {
    const entry: Pending = { at: this.time + Math.max(0, ms), order: this.order++, callback };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((candidate) => candidate !== entry);
    };
  }

  /** Timers set and not yet run or cancelled. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves the clock forward by `ms`, running every timer that falls due on the way, in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) this.fire(next);
    this.time = target;
  }

  /** Jumps to the earliest pending timer and runs it; false when none is pending. */
  runNext(): boolean {
    const next = this.earliest();
    if (!next) return false;
    this.fire(next);
    return true;
  }

  /**
   * Waits for `work` while time jumps from timer to timer whenever everything else has settled (each real
   * event-loop turn lets database writes and other I/O finish first), like a run with instant sleeps.
   */
  async drive<T>(work: Promise<T>): Promise<T> {
    let isSettled = false;
    const settled = work.finally(() => {
      isSettled = true;
    });
    settled.catch(() => undefined);
    while (!isSettled) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!isSettled) this.runNext();
    }
    return settled;
  }

  private earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const entry of this.pending) {
      if (!best || entry.at < best.at || (entry.at === best.at && entry.order < best.order)) best = entry;
    }
    return best;
  }

  private fire(entry: Pending): void {
    this.pending = this.pending.filter((candidate) => candidate !== entry);
    this.time = Math.max(this.time, entry.at);
    entry.callback();
  }
}
