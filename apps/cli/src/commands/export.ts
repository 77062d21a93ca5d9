import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, lstat, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import {
  DEFAULT_COMFORT_THRESHOLDS,
  type LimitsReport,
  LmstrixError,
  limitsReport,
  plural,
} from "@lmstrix/core";
import { stringifyRegistry, toRegistry } from "@lmstrix/core/registry";
import {
  CSV_COLUMNS,
  emptyTally,
  exportRegistry,
  exportStream,
  type HistoryExport,
  type HistoryTally,
  RegistryExportError,
} from "@lmstrix/db";
import type { Command, ExportFormatName } from "../args";
import { openExistingDatabase } from "../database";
import { userPath } from "../env";
import { EXIT, UsageError } from "../errors";
import { formatSize } from "../format/numbers";
import { chooseHost } from "../hosts";
import type { OutputStream } from "../io";
import type { CommandContext } from "./context";

type ExportCommand = Extract<Command, { name: "export" }>;

/**
 * `lmstrix export`: the lmstrix registry (readable by the Python tool, importable again), the full history as
 * JSON, or one CSV row per model — to stdout, or with `--out` to a file written atomically (a temporary file
 * beside it, then renamed), never over an existing file unless `--force`. Reads only.
 */
export async function exportCommand(command: ExportCommand, { io, env }: CommandContext): Promise<number> {
  // Where to write is checked first: a refused --out is bad usage and must not even open the database.
  const target = command.out === undefined ? undefined : userPath(env, command.out);
  if (target !== undefined) await checkTarget(target, command);

  const database = await openExistingDatabase(env);
  try {
    // Without --host: every host (csv, json), or the only one with models (lmstrix).
    const choice =
      command.host === undefined ? undefined : await chooseHost(database?.store ?? null, command.host, env);
    const hostId = choice && "stored" in choice ? choice.stored.id : undefined;
    // No database yet, or `--host local` before it was ever used: an empty export, but a valid one.
    const isEmpty = !database || (command.host !== undefined && hostId === undefined);
    // The registry and the CSV are small and described from their text. The full history can be larger than a
    // string may be: it goes out as it is read, never held whole, and is described by what was counted.
    const tally = emptyTally();
    const text = isEmpty
      ? emptyExport(command.format)
      : command.format === "limits"
        ? limitsText(
            await limitsReport(database.store, {
              hosts: choice && "stored" in choice ? [choice.stored] : undefined,
            }),
          )
        : command.format === "json"
          ? undefined
          : await exportRegistry(database.db, { format: command.format, hostId }).catch(exportFailure);
    const chunks =
      isEmpty || text !== undefined
        ? [text ?? ""]
        : await exportStream(database.db, { format: "json", hostId, tally }).catch(exportFailure);
    const bytes = await (target === undefined
      ? writeChunks(chunks, io.stdout)
      : writeAtomically(target, chunks, command));
    if (target !== undefined) {
      io.stdout.write(
        `Exported ${describeContents(command.format, text ?? "", tally)} to ${command.out} (${formatSize(bytes)})\n`,
      );
    }
    return EXIT.ok;
  } finally {
    await database?.close();
  }
}

function exportFailure(error: unknown): never {
  if (error instanceof RegistryExportError && error.code === "HOST_REQUIRED") {
    throw new UsageError(`${error.message}: add --host NAME`, "export", { cause: error });
  }
  throw error;
}

/** The export's text: one string (the registry, the CSV) or the history as it is read. */
type Chunks = Iterable<string> | AsyncIterable<string>;

/** Writes the chunks as they come; returns how many bytes that was. */
async function writeChunks(chunks: Chunks, out: OutputStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) {
    out.write(chunk);
    bytes += Buffer.byteLength(chunk);
    await out.drained?.();
  }
  return bytes;
}

async function checkTarget(target: string, command: ExportCommand): Promise<void> {
  const typed = command.out!;
  const folder = await stat(path.dirname(target)).catch(() => null);
  if (!folder?.isDirectory()) {
    throw new UsageError(
      `cannot write ${typed}: the folder ${path.dirname(target)} does not exist`,
      "export",
    );
  }
  const existing = await lstat(target).catch(() => null);
  if (!existing) return;
  if (!existing.isFile()) {
    throw new UsageError(`cannot write ${typed}: it exists and is not a regular file`, "export");
  }
  if (!command.force) {
    throw new UsageError(`${typed} exists already; add --force to replace it`, "export");
  }
}

/**
 * Writes the whole text to a temporary file in the target's folder, flushes it, then puts it in place in one
 * step: readers see the old file or the new one, never half of it. Without `--force` the final step is a hard
 * link, which fails if the target appeared meanwhile, so nothing is ever overwritten by a race either.
 */
async function writeAtomically(target: string, chunks: Chunks, command: ExportCommand): Promise<number> {
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  let bytes = 0;
  try {
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      for await (const chunk of chunks) {
        await handle.write(chunk, null, "utf8");
        bytes += Buffer.byteLength(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (command.force) {
      await rename(temporary, target);
      return bytes;
    }
    try {
      await link(temporary, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST")
        throw new UsageError(`${command.out} exists already; add --force to replace it`, "export");
      // A file system without hard links: fall back to a rename after checking again.
      if (await lstat(target).catch(() => null)) {
        throw new UsageError(`${command.out} exists already; add --force to replace it`, "export");
      }
      await rename(temporary, target);
    }
    return bytes;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const reason =
      (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new LmstrixError("WRITE_FAILED", `cannot write ${command.out}: ${reason}`, { cause: error });
  } finally {
    await rm(temporary, { force: true });
  }
}

function describeContents(format: ExportFormatName, text: string, tally: HistoryTally): string {
  switch (format) {
    case "lmstrix": {
      const registry = JSON.parse(text) as { llms?: Record<string, unknown> };
      return `the lmstrix registry (${plural(Object.keys(registry.llms ?? {}).length, "model")})`;
    }
    case "json":
      return `the history (${plural(tally.models, "model")}, ${plural(tally.runs, "run")}, ${plural(tally.probes, "probe")})`;
    case "csv":
      return `${plural(csvRecords(text) - 1, "model")} as CSV`;
    case "limits": {
      const report = JSON.parse(text) as LimitsReport;
      const models = Object.values(report.hosts).reduce(
        (sum, host) => sum + Object.keys(host.models).length,
        0,
      );
      return `the limits of ${plural(models, "model")}`;
    }
  }
}

/** The limits report as `/api/limits` answers it. */
function limitsText(report: LimitsReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Records in CSV text: line ends outside quoted cells (an error message may hold line breaks). */
function csvRecords(text: string): number {
  let records = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (char === "\n" && !quoted) records += 1;
  }
  return records;
}

/** What an export of an empty database holds, without creating the database to find out. */
function emptyExport(format: ExportFormatName): string {
  switch (format) {
    case "lmstrix":
      return stringifyRegistry(toRegistry([]));
    case "csv":
      return `${CSV_COLUMNS.join(",")}\r\n`;
    case "limits":
      return limitsText({
        format: "lmstrix-limits",
        version: 1,
        generatedAt: new Date().toISOString(),
        comfortableThresholds: DEFAULT_COMFORT_THRESHOLDS,
        hosts: {},
      });
    case "json": {
      const empty: HistoryExport = {
        format: "lmstrix-history",
        version: 1,
        exportedAt: new Date().toISOString(),
        hostId: null,
        hosts: [],
        schedules: [],
        models: [],
        runs: [],
        probes: [],
        limitChanges: [],
        events: [],
      };
      return `${JSON.stringify(empty, null, 2)}\n`;
    }
  }
}
