import { existsSync } from "node:fs";
import path from "node:path";
import { LmstrixError, plural } from "@lmstrix/core";
import {
  checkHealthOfFile,
  createSnapshot,
  databasePath,
  listSnapshots,
  type RestoreResult,
  recoverFromSnapshot,
  restoreSnapshot,
  SnapshotError,
  type SnapshotInfo,
  snapshotsDir,
} from "@lmstrix/db";
import type { Command } from "../args";
import { cliDataDir, openCliDatabase, openExistingDatabase } from "../database";
import type { CliEnv } from "../env";
import { EXIT, UsageError } from "../errors";
import { formatAge, formatSize } from "../format/numbers";
import { renderSnapshotsTable, snapshotJson } from "../format/snapshots-table";
import type { CommandContext } from "./context";

type SnapshotCommand = Extract<Command, { name: "snapshot-list" | "snapshot-create" | "snapshot-restore" }>;

export async function snapshotCommand(command: SnapshotCommand, ctx: CommandContext): Promise<number> {
  switch (command.name) {
    case "snapshot-list":
      return listCommand(command, ctx);
    case "snapshot-create":
      return createCommand(command, ctx);
    case "snapshot-restore":
      return restoreCommand(command, ctx);
  }
}

async function listCommand(
  command: Extract<Command, { name: "snapshot-list" }>,
  { io, env }: CommandContext,
) {
  const snapshots = await readSnapshotList(env);
  if (command.json) {
    io.stdout.write(`${JSON.stringify(snapshots.map(snapshotJson), null, 2)}\n`);
    return EXIT.ok;
  }
  if (snapshots.length === 0) {
    io.stdout.write(
      `No snapshots yet in ${snapshotsDir(cliDataDir(env))}. One is taken before every run, import, restore and repair; take one now with: pnpm lmstrix snapshot create\n`,
    );
    return EXIT.ok;
  }
  io.stdout.write(renderSnapshotsTable(snapshots));
  io.stdout.write(
    `${plural(snapshots.length, "snapshot")} in ${snapshotsDir(cliDataDir(env))}; the newest ${env.LMSTRIX_SNAPSHOT_KEEP} are kept (LMSTRIX_SNAPSHOT_KEEP). Restore one with: pnpm lmstrix snapshot restore NAME\n`,
  );
  return EXIT.ok;
}

/**
 * The snapshot list, newest first. It must work when the database is damaged (that is when it is needed):
 * then it is read the way the health check reads a file, without Prisma.
 */
async function readSnapshotList(env: CliEnv): Promise<SnapshotInfo[]> {
  const dataDir = cliDataDir(env);
  const database = await openExistingDatabase(env).catch(() => null);
  if (database) {
    try {
      return await listSnapshots(database.db);
    } catch {
      // Fall through to the file-level reading below.
    } finally {
      await database.close();
    }
  }
  return (await checkHealthOfFile(databasePath(dataDir), { dataDir })).snapshots;
}

async function createCommand(
  command: Extract<Command, { name: "snapshot-create" }>,
  { io, env }: CommandContext,
) {
  const database = await openExistingDatabase(env);
  if (!database) {
    throw new LmstrixError(
      "DATABASE_UNAVAILABLE",
      `there is no database at ${databasePath(cliDataDir(env))} yet; nothing to snapshot`,
    );
  }
  try {
    const snapshot = await createSnapshot(database.db, command.reason, { keep: env.LMSTRIX_SNAPSHOT_KEEP });
    io.stdout.write(
      `Snapshot ${snapshot.name} taken (${formatSize(snapshot.sizeBytes)}) in ${snapshotsDir(database.db.dataDir)}; the newest ${env.LMSTRIX_SNAPSHOT_KEEP} are kept\n`,
    );
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

/**
 * `snapshot restore NAME`: asks first (or needs `--yes` where nobody can answer). A sound database gets the
 * snapshot's data in place (the library refuses while a run is running and takes a `before-restore` snapshot
 * to undo it); a database file that is missing or too damaged to open is replaced by the snapshot's file, the
 * damaged one moved aside.
 */
async function restoreCommand(
  command: Extract<Command, { name: "snapshot-restore" }>,
  { io, env }: CommandContext,
): Promise<number> {
  if (!command.yes && !io.confirm) {
    throw new UsageError(
      "snapshot restore replaces the data in the database; confirm with --yes (there is no terminal to ask on)",
      "snapshot",
    );
  }
  const dataDir = cliDataDir(env);
  const file = databasePath(dataDir);
  const health = await checkHealthOfFile(file, { dataDir, leaseStaleMs: env.LMSTRIX_LEASE_STALE_MS });
  const snapshot = health.snapshots.find((item) => item.name === command.snapshot && !item.missing);
  if (!snapshot) {
    throw new UsageError(`no snapshot named "${command.snapshot}" (see: lmstrix snapshot list)`, "snapshot");
  }
  const described = `${snapshot.name} (${snapshot.reason}, taken ${formatAge(snapshot.ageMs)}, ${formatSize(snapshot.sizeBytes)})`;
  const missing = !existsSync(file);
  const broken = missing || health.problems.some((p) => p.kind === "unreadable" || p.kind === "integrity");

  if (broken) {
    const state = missing ? "missing" : "damaged";
    const question = `The database ${file} is ${state}. Put snapshot ${described} in its place?${missing ? "" : ` The damaged file is moved to ${path.join(dataDir, "damaged")}, not deleted.`} Stop the dashboard and any other lmstrix command first.`;
    if (!(await confirmed(command, io, question))) return declined(io);
    const result = await recoverFromSnapshot(dataDir, snapshot.name).catch(mapSnapshotError);
    io.stdout.write(`Recovered the database from snapshot ${described}.\n`);
    if (result.migratedFrom) io.stdout.write(`  migrated from ${result.migratedFrom}\n`);
    if (result.movedAside.length > 0)
      io.stdout.write(`  the ${state} files were moved to: ${result.movedAside.join(", ")}\n`);
    io.stdout.write("Check it with: pnpm lmstrix health\n");
    return EXIT.ok;
  }

  const question = `Replace all data in ${file} with snapshot ${described}? A before-restore snapshot is taken first, to undo it.`;
  if (!(await confirmed(command, io, question))) return declined(io);
  const database = await openCliDatabase(env);
  let result: RestoreResult;
  try {
    result = await restoreSnapshot(database.db, snapshot.name, { keep: env.LMSTRIX_SNAPSHOT_KEEP }).catch(
      mapSnapshotError,
    );
  } finally {
    await database.close();
  }
  const rows = result.rows;
  const contents = [
    plural(rows.Host ?? 0, "host"),
    plural(rows.Model ?? 0, "model"),
    plural(rows.Run ?? 0, "run"),
    plural(rows.Probe ?? 0, "probe"),
  ].join(", ");
  io.stdout.write(`Restored snapshot ${described}: ${contents}\n`);
  if (result.migratedFrom) io.stdout.write(`  migrated from ${result.migratedFrom}\n`);
  for (const runId of result.interruptedRuns) {
    io.stdout.write(
      `  run #${runId} was running in the snapshot: now interrupted, it resumes with the queue\n`,
    );
  }
  io.stdout.write(`Undo with: pnpm lmstrix snapshot restore ${result.beforeRestore.name} --yes\n`);
  return EXIT.ok;
}

async function confirmed(
  command: Extract<Command, { name: "snapshot-restore" }>,
  io: CommandContext["io"],
  question: string,
): Promise<boolean> {
  if (command.yes) return true;
  return (await io.confirm?.(question)) ?? false;
}

function declined(io: CommandContext["io"]): number {
  io.stdout.write("Not restored; nothing changed.\n");
  return EXIT.failure;
}

/** The library's refusals: a name that is not in the list is bad usage (pointing at the help); the others keep their code. */
function mapSnapshotError(error: unknown): never {
  if (error instanceof SnapshotError) {
    if (error.code === "INVALID_NAME" || error.code === "NOT_FOUND")
      throw new UsageError(error.message, "snapshot", { cause: error });
  }
  throw error;
}
