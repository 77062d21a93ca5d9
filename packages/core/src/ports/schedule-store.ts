import type { NewSchedule, Schedule } from "../domain/schedule";

/** Where schedules are kept. */
export interface ScheduleStore {
  /** Schedules (of one host), oldest first. */
  listSchedules(filter?: { hostId?: number }): Promise<Schedule[]>;

  getSchedule(id: number): Promise<Schedule | null>;

  /** `createdAt` is the scheduler's clock: a schedule is due from the first of its times after it. */
  createSchedule(input: NewSchedule & { createdAt: Date }): Promise<Schedule>;

  /** Returns false when there was no such schedule. */
  removeSchedule(id: number): Promise<boolean>;

  /** Null when there is no such schedule. */
  setScheduleEnabled(id: number, enabled: boolean): Promise<Schedule | null>;

  /** Records that the schedule fired at `at`, and what it did. */
  recordScheduleFired(id: number, at: Date, outcome: string): Promise<void>;
}
