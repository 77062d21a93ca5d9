import { type NewSchedule, type Schedule, type ScheduleStore, scheduleActionSchema } from "@lmstrix/core";
import type { Prisma, PrismaClient } from "@prisma/client";

const SCHEDULE_COLUMNS = {
  id: true,
  hostId: true,
  cron: true,
  action: true,
  enabled: true,
  lastRunAt: true,
  lastOutcome: true,
  createdAt: true,
} as const satisfies Prisma.ScheduleSelect;

type ScheduleRow = Prisma.ScheduleGetPayload<{ select: typeof SCHEDULE_COLUMNS }>;

/** The action column is parsed: a corrupted value fails loudly rather than firing the wrong run. */
function toSchedule(row: ScheduleRow): Schedule {
  return { ...row, action: scheduleActionSchema.parse(row.action) };
}

/** Schedules in SQLite, and what firing one reads of the host's models. */
export class PrismaScheduleStore implements ScheduleStore {
  constructor(private readonly prisma: PrismaClient) {}

  async listSchedules(filter: { hostId?: number } = {}): Promise<Schedule[]> {
    const rows = await this.prisma.schedule.findMany({
      where: { hostId: filter.hostId },
      orderBy: { id: "asc" },
      select: SCHEDULE_COLUMNS,
    });
    return rows.map(toSchedule);
  }

  async getSchedule(id: number): Promise<Schedule | null> {
    const row = await this.prisma.schedule.findUnique({ where: { id }, select: SCHEDULE_COLUMNS });
    return row ? toSchedule(row) : null;
  }

  async createSchedule(input: NewSchedule & { createdAt: Date }): Promise<Schedule> {
    return toSchedule(await this.prisma.schedule.create({ data: input, select: SCHEDULE_COLUMNS }));
  }

  async removeSchedule(id: number): Promise<boolean> {
    return (await this.prisma.schedule.deleteMany({ where: { id } })).count > 0;
  }

  async setScheduleEnabled(id: number, enabled: boolean): Promise<Schedule | null> {
    const { count } = await this.prisma.schedule.updateMany({ where: { id }, data: { enabled } });
    return count > 0 ? this.getSchedule(id) : null;
  }

  async recordScheduleFired(id: number, at: Date, outcome: string): Promise<void> {
    // updateMany: a schedule removed meanwhile is no error.
    await this.prisma.schedule.updateMany({ where: { id }, data: { lastRunAt: at, lastOutcome: outcome } });
  }
}
