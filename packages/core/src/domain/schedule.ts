import { Cron } from "croner";
import { z } from "zod";

/**
 * A host's schedule: at each time its cron expression names, the dashboard's worker queues one run of the host.
 * Cron expressions are read in the server's local time (the process's `TZ`), as `cron` itself does: "0 3 * * *"
 * is 03:00 wherever the dashboard runs. Across a DST change a time that does not exist that night (02:30 when
 * the clocks skip 02:00–03:00) fires once at the first time after the gap, and one that happens twice (02:30
 * when they go back) fires once, at its first occurrence.
 */
export const scheduleActionSchema = z.enum(["test-all", "retest-stale"], {
  error: 'action: must be "test-all" (every model) or "retest-stale" (the models whose results are stale)',
});
export type ScheduleAction = z.infer<typeof scheduleActionSchema>;
export const SCHEDULE_ACTIONS = scheduleActionSchema.options;

/**
 * Why an expression is not a schedule, in words that name the field; null when it is one. croner also takes
 * seconds and years (six or seven fields): a schedule that fires every second would queue a run of every
 * model each second, so only cron's five fields (and croner's shorthands such as "@daily") are taken. An
 * expression that names no real time ("0 0 30 2 *", 30 February) would never fire and is refused too.
 */
export function cronProblem(expression: string): string | null {
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    return `cron: "${expression}" is not a cron expression (${reason}); e.g. "0 3 * * *" is every night at 03:00`;
  }
  const trimmed = expression.trim();
  const fields = trimmed.split(/\s+/).length;
  if (!trimmed.startsWith("@") && fields !== 5) {
    return `cron: "${expression}" has ${fields} fields; give five (minute hour day-of-month month day-of-week), e.g. "0 3 * * *"`;
  }
  if (cron.nextRun() === null)
    return `cron: "${expression}" names no time that ever comes, so it would never run`;
  return null;
}

export const cronExpressionSchema = z
  .string()
  .trim()
  .min(1, "cron: the expression must not be empty")
  .max(200, "cron: the expression must be at most 200 characters")
  .superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const newScheduleSchema = z.object({
  hostId: z.number().int().positive(),
  cron: cronExpressionSchema,
  action: scheduleActionSchema,
  enabled: z.boolean().default(true),
});
export type NewSchedule = z.infer<typeof newScheduleSchema>;

export interface Schedule {
  id: number;
  hostId: number;
  cron: string;
  action: ScheduleAction;
  enabled: boolean;
  /** When it last fired (queued a run or was skipped); null: never. */
  lastRunAt: Date | null;
  /** What it did then, in words: "queued run #12", "skipped: host busy". */
  lastOutcome: string | null;
  createdAt: Date;
}

/**
 * The first time the expression names strictly after `after`; null when it names none (a date long past).
 * `timezone` is for tests; the server passes none and cron reads its local time.
 */
export function nextFireAfter(cron: string, after: Date, timezone?: string): Date | null {
  return new Cron(cron, { paused: true, ...(timezone && { timezone }) }).nextRun(after);
}

/**
 * Whether the schedule should fire at `now`: a time it names has come since it last fired (since it was created,
 * if never). However many such times passed while the server was down, it fires once: what matters is that one
 * came, and firing records `now` as the last run.
 */
export function isScheduleDue(
  schedule: Pick<Schedule, "cron" | "enabled" | "lastRunAt" | "createdAt">,
  now: Date,
  timezone?: string,
): boolean {
  if (!schedule.enabled) return false;
  const next = nextFireAfter(schedule.cron, schedule.lastRunAt ?? schedule.createdAt, timezone);
  return next !== null && next.getTime() <= now.getTime();
}
