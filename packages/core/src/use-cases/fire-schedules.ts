import { runOptionsSchema } from "../domain/run";
import { isScheduleDue, type Schedule } from "../domain/schedule";
import { modelStaleReasons } from "../domain/staleness";
import { DuplicateRunError } from "../engine/duplicate-run";
import { enqueueRun } from "../engine/run-queue";
import type { ScheduleStore, StaleCheckRow } from "../ports/schedule-store";
import type { Store } from "../ports/store";
import { hostHolder } from "./host-idle";

/** The keys of the host's present models whose stored results no longer hold (see `modelStaleReasons`). */
export function staleModelKeys(rows: readonly StaleCheckRow[], hostLmStudioVersion: string | null): string[] {
  return rows
    .filter((row) => row.isPresent && modelStaleReasons(row, hostLmStudioVersion).length > 0)
    .map((row) => row.modelKey);
}

/** What one schedule did when it came due. */
export type ScheduleFiring =
  | { scheduleId: number; hostId: number; outcome: "queued"; runId: number; description: string }
  | { scheduleId: number; hostId: number; outcome: "skipped"; description: string };

export interface FireSchedulesDeps {
  schedules: ScheduleStore;
  store: Pick<
    Store,
    "getHost" | "getHostLease" | "listRuns" | "createRun" | "createRunUnlessPending" | "appendEvent"
  >;
  /** The scheduler's clock: injected so tests (and the e2e test clock) need not wait for 03:00. */
  now: Date;
  leaseStaleMs: number;
  /** For tests only; the server reads cron in its local time. */
  timezone?: string;
}

/**
 * Fires every due schedule once: queues its run, or records why not. Never two runs at once on a host: a host
 * whose lease a run holds, or with a run already queued, running or interrupted, is "skipped: host busy"
 * rather than given a pile of queued runs. Either way the schedule counts as fired, so a missed or skipped time
 * is not retried at every tick but at its next time.
 */
export async function fireDueSchedules(deps: FireSchedulesDeps): Promise<ScheduleFiring[]> {
  const due = (await deps.schedules.listSchedules()).filter((schedule) => {
    try {
      return isScheduleDue(schedule, deps.now, deps.timezone);
    } catch {
      // A stored expression croner refuses (written by hand or by an older version): it never fires, and
      // the others still do.
      return false;
    }
  });
  const firings: ScheduleFiring[] = [];
  for (const schedule of due) {
    const firing = await fireSchedule(deps, schedule);
    await deps.schedules.recordScheduleFired(schedule.id, deps.now, firing.description);
    firings.push(firing);
  }
  return firings;
}

async function fireSchedule(deps: FireSchedulesDeps, schedule: Schedule): Promise<ScheduleFiring> {
  const { store, schedules } = deps;
  const base = { scheduleId: schedule.id, hostId: schedule.hostId };
  const skipped = (description: string): ScheduleFiring => ({ ...base, outcome: "skipped", description });
  const host = await store.getHost(schedule.hostId);
  if (!host) return skipped("skipped: host removed");
  if (!host.enabled) return skipped("skipped: host disabled");
  const holder = await hostHolder(store, host.id, deps.leaseStaleMs);
  const [pending] = await store.listRuns({ hostId: host.id, statuses: ["queued", "running", "interrupted"] });
  const busyWith = holder?.runId ?? pending?.id;
  if (busyWith !== undefined) return skipped(`skipped: host busy (run #${busyWith})`);

  let modelKeys: string[] = [];
  if (schedule.action === "retest-stale") {
    const rows = await schedules.listStaleCheckRows(host.id);
    modelKeys = staleModelKeys(rows, await schedules.hostLmStudioVersion(host.id));
    if (modelKeys.length === 0) return skipped("skipped: no stale models");
  }
  // A scheduled test measures again (`reset`): "test all" every Sunday means every model, tested or not.
  const options = runOptionsSchema.parse({ modelKeys, reset: true });
  const mode = schedule.action === "test-all" ? "all" : "single";
  try {
    const run = await enqueueRun(store, {
      hostId: host.id,
      mode,
      options,
      startedBy: `schedule #${schedule.id}`,
    });
    return { ...base, outcome: "queued", runId: run.id, description: `queued run #${run.id}` };
  } catch (error) {
    // Another process queued the same run between the check above and now.
    if (error instanceof DuplicateRunError) return skipped("skipped: host busy");
    throw error;
  }
}
