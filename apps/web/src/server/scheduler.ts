import "server-only";
import { fireDueSchedules, type ScheduleFiring, type ScheduleStore, type Store } from "@lmstrix/core";

/** How often the worker looks at the schedules: cron names minutes, so a few seconds late is on time. */
export const SCHEDULE_CHECK_MS = 5_000;

/**
 * The dashboard's scheduler: at each check it fires the schedules whose time has come (see `fireDueSchedules`).
 * Its clock is the real one, or — with LMSTRIX_TEST_CLOCK set — a clock that stands still at that time until a
 * test moves it (`setTestTime`), so a test proves "03:00" without waiting for it.
 */
export class Scheduler {
  private testTime: Date | null;
  private checking: Promise<ScheduleFiring[]> | null = null;

  constructor(
    private readonly schedules: ScheduleStore,
    private readonly store: Store,
    private readonly timings: { leaseStaleMs: number; cooldownMs: number },
    testClock: Date | undefined,
  ) {
    this.testTime = testClock ?? null;
  }

  get hasTestClock(): boolean {
    return this.testTime !== null;
  }

  now(): Date {
    return this.testTime ?? new Date();
  }

  /** Moves the test clock and fires what is due at once; refused without a test clock. */
  async setTestTime(at: Date): Promise<ScheduleFiring[]> {
    if (this.testTime === null) throw new Error("the scheduler has no test clock (LMSTRIX_TEST_CLOCK)");
    this.testTime = at;
    await this.checking?.catch(() => undefined);
    return this.check();
  }

  /** Fires the due schedules; one check at a time, so a slow one and the next tick never fire a schedule twice. */
  check(): Promise<ScheduleFiring[]> {
    this.checking ??= fireDueSchedules({
      schedules: this.schedules,
      store: this.store,
      now: this.now(),
      ...this.timings,
    }).finally(() => {
      this.checking = null;
    });
    return this.checking;
  }
}
