import type { NewSchedule, Schedule } from "../domain/schedule";
import type { StaleCheckModel } from "../domain/staleness";

/** A host's model as the stale check reads it: its key, its file now and what its limits were measured under. */
export interface StaleCheckRow extends StaleCheckModel {
  modelKey: string;
  isPresent: boolean;
}

/** Where schedules are kept, and what firing one reads. */
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

  /** The host's models with what the stale check needs (`modelStaleReasons`). */
  listStaleCheckRows(hostId: number): Promise<StaleCheckRow[]>;

  /** The LM Studio version the host reported last; null: not known. */
  hostLmStudioVersion(hostId: number): Promise<string | null>;
}
