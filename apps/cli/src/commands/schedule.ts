import { addSchedule, removeSchedule, type Schedule } from "@lmstrix/core";
import { PrismaScheduleStore } from "@lmstrix/db";
import type { Command } from "../args";
import { openCliDatabase, openExistingDatabase } from "../database";
import { EXIT } from "../errors";
import { renderTable } from "../format/table";
import { chooseHost, saveHost } from "../hosts";
import type { CommandContext } from "./context";

type ScheduleCommand = Extract<Command, { name: "schedule-add" | "schedule-list" | "schedule-remove" }>;

export async function scheduleCommand(command: ScheduleCommand, ctx: CommandContext): Promise<number> {
  switch (command.name) {
    case "schedule-add":
      return add(command, ctx);
    case "schedule-list":
      return list(command, ctx);
    case "schedule-remove":
      return remove(command, ctx);
  }
}

async function add(command: Extract<Command, { name: "schedule-add" }>, { io, env }: CommandContext) {
  const database = await openCliDatabase(env);
  try {
    const host = await saveHost(database.store, await chooseHost(database.store, command.host, env));
    const schedules = new PrismaScheduleStore(database.db.prisma);
    const added = await addSchedule(
      schedules,
      database.store,
      { hostId: host.id, cron: command.cron, action: command.action },
      new Date(),
    );
    io.stdout.write(
      `Added schedule #${added.id}: ${added.action} on ${host.name} at "${added.cron}" (local time of the dashboard's machine). The dashboard's worker runs it.\n`,
    );
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

async function list(command: Extract<Command, { name: "schedule-list" }>, { io, env }: CommandContext) {
  const database = await openExistingDatabase(env);
  try {
    const schedules = database ? await new PrismaScheduleStore(database.db.prisma).listSchedules() : [];
    const hosts = new Map(
      (database ? await database.store.listHosts() : []).map((host) => [host.id, host.name]),
    );
    const named = schedules.map((schedule) => ({ ...schedule, host: hosts.get(schedule.hostId) ?? null }));
    if (command.json) {
      io.stdout.write(`${JSON.stringify(named, null, 2)}\n`);
    } else if (named.length === 0) {
      io.stdout.write(
        'No schedules. Add one with: lmstrix schedule add --cron "0 3 * * *" --action retest-stale\n',
      );
    } else {
      io.stdout.write(renderSchedules(named));
    }
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

function renderSchedules(schedules: readonly (Schedule & { host: string | null })[]): string {
  const columns = [
    { header: "ID", align: "right" as const },
    { header: "Host" },
    { header: "Cron" },
    { header: "Action" },
    { header: "Enabled" },
    { header: "Last fired" },
  ];
  const rows = schedules.map((schedule) => [
    String(schedule.id),
    schedule.host ?? `#${schedule.hostId}`,
    schedule.cron,
    schedule.action,
    schedule.enabled ? "yes" : "no",
    schedule.lastRunAt ? `${schedule.lastRunAt.toISOString()} ${schedule.lastOutcome ?? ""}`.trim() : "never",
  ]);
  return renderTable(columns, rows, "Schedules");
}

async function remove(command: Extract<Command, { name: "schedule-remove" }>, { io, env }: CommandContext) {
  const database = await openCliDatabase(env);
  try {
    await removeSchedule(new PrismaScheduleStore(database.db.prisma), command.id);
    io.stdout.write(`Removed schedule #${command.id}\n`);
    return EXIT.ok;
  } finally {
    await database.close();
  }
}
