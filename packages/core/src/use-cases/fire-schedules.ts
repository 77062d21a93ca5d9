import { type RunMode, type RunOptions, runOptionsSchema } from "../domain/run";
import { isScheduleDue, type Schedule } from "../domain/schedule";
import { DuplicateRunError } from "../engine/duplicate-run";
import { enqueueRun } from "../engine/run-queue";
import type { ScheduleStore } from "../ports/schedule-store";
import type { Store } from "../ports/store";
import { hostHolder } from "./host-idle";
import { staleModels, staleRetestRequest } from "./retest-stale";

/** What one schedule did when it came due. */
export type ScheduleFiring =
  | { scheduleId: number; hostId: number; outcome: "queued"; runId: number; description: string }
  | { scheduleId: number; hostId: number; outcome: "skipped"; description: string };

export interface FireSchedulesDeps {
  schedules: ScheduleStore;
  store: Pick<
    Store,
    | "getHost"
    | "getHostLease"
    | "listRuns"
    | "listModels"
    | "createRun"
    | "createRunUnlessPending"
    | "appendEvent"
  >;
  /** The scheduler's clock: injected so tests (and the e2e test clock) need not wait for 03:00. */
  now: Date;
  leaseStaleMs: number;
  /** The pause between models of the runs it queues (LMSTRIX_COOLDOWN_MS); unset: lmstrix's 3 s. */
  cooldownMs?: number;
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
  const { store } = deps;
  const base = { scheduleId: schedule.id, hostId: schedule.hostId };
  const skipped = (description: string): ScheduleFiring => ({ ...base, outcome: "skipped", description });
  const host = await store.getHost(schedule.hostId);
  if (!host) return skipped("skipped: host removed");
  if (!host.enabled) return skipped("skipped: host disabled");
  const holder = await hostHolder(store, host.id, deps.leaseStaleMs);
  const [pending] = await store.listRuns({ hostId: host.id, statuses: ["queued", "running", "interrupted"] });
  const busyWith = holder?.runId ?? pending?.id;
  if (busyWith !== undefined) return skipped(`skipped: host busy (run #${busyWith})`);

  let request: { mode: RunMode; options: RunOptions };
  if (schedule.action === "retest-stale") {
    // The same run as the "Re-test stale" action: not reset, so a limit that moved is recorded as a change.
    const stale = staleModels(await store.listModels({ hostId: host.id }), host);
    if (stale.length === 0) return skipped("skipped: no stale models");
    request = staleRetestRequest(stale, { cooldownMs: deps.cooldownMs });
  } else {
    // "Test all" every Sunday: the run scans the host first and measures every model anew, tested or not.
    request = { mode: "all", options: runOptionsSchema.parse({ reset: true, cooldownMs: deps.cooldownMs }) };
  }
  try {
    const run = await enqueueRun(store, {
      hostId: host.id,
      ...request,
      startedBy: `schedule #${schedule.id}`,
    });
    return { ...base, outcome: "queued", runId: run.id, description: `queued run #${run.id}` };
  } catch (error) {
    // Another process queued the same run between the check above and now.
    if (error instanceof DuplicateRunError) return skipped("skipped: host busy");
    throw error;
  }
}
