import { newScheduleSchema, type Schedule } from "../domain/schedule";
import { LmstrixError } from "../errors/lmstrix-error";
import type { ScheduleStore } from "../ports/schedule-store";
import type { Store } from "../ports/store";

export class ScheduleNotFoundError extends LmstrixError<"SCHEDULE_NOT_FOUND"> {
  override readonly name = "ScheduleNotFoundError";

  constructor(readonly id: number) {
    super("SCHEDULE_NOT_FOUND", `No schedule with id ${id}`);
  }
}

/**
 * Adds a schedule to a host; the cron expression is checked (an error naming the `cron` field), and a schedule
 * the host has already (the same action at the same expression) is refused. `now` is the
 * scheduler's clock: the first time the schedule fires is the first its expression names after it.
 */
export async function addSchedule(
  schedules: Pick<ScheduleStore, "createSchedule" | "listSchedules">,
  store: Pick<Store, "getHost">,
  input: unknown,
  now: Date,
): Promise<Schedule> {
  const parsed = newScheduleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LmstrixError("INVALID_INPUT", issue?.message ?? "invalid schedule");
  }
  const host = await store.getHost(parsed.data.hostId);
  if (!host) throw new LmstrixError("HOST_NOT_FOUND", `No host with id ${parsed.data.hostId}`);
  // A second schedule of the same action at the same times would only ever be skipped as "host busy".
  const twin = (await schedules.listSchedules({ hostId: host.id })).find(
    (schedule) => schedule.cron === parsed.data.cron && schedule.action === parsed.data.action,
  );
  if (twin) {
    throw new LmstrixError(
      "INVALID_INPUT",
      `${host.name} has this schedule already (#${twin.id}: ${twin.action} at "${twin.cron}")`,
    );
  }
  return schedules.createSchedule({ ...parsed.data, createdAt: now });
}

export async function removeSchedule(schedules: Pick<ScheduleStore, "removeSchedule">, id: number) {
  if (!(await schedules.removeSchedule(id))) throw new ScheduleNotFoundError(id);
}

export async function setScheduleEnabled(
  schedules: Pick<ScheduleStore, "setScheduleEnabled">,
  id: number,
  enabled: boolean,
): Promise<Schedule> {
  return (await schedules.setScheduleEnabled(id, enabled)) ?? throwNotFound(id);
}

function throwNotFound(id: number): never {
  throw new ScheduleNotFoundError(id);
}
