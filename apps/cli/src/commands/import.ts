import { constants } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isLmstrixError, LmstrixError } from "@lmstrix/core";
import {
  isRegistryError,
  type ParsedRegistry,
  parseRegistry,
  REGISTRY_MAX_BYTES,
  type RegistryError,
} from "@lmstrix/core/registry";
import { type ImportResult, importRegistry, openDatabase, PrismaStore } from "@lmstrix/db";
import type { Command } from "../args";
import { type CliDatabase, openCliDatabase, openExistingDatabase } from "../database";
import { userPath } from "../env";
import { EXIT } from "../errors";
import { renderImportSummary } from "../format/import-summary";
import { chooseHost, type HostChoice, hostName, hostUrl, saveHost } from "../hosts";
import type { CommandContext } from "./context";

type ImportCommand = Extract<Command, { name: "import" }>;

/**
 * `lmstrix import FILE`: reads and validates the whole registry before the database is even opened — a
 * missing, special or malformed file exits 2 and changes nothing — then applies it to one host in one
 * transaction, after the library's `before-import` snapshot. `--dry-run` reports what would change.
 */
export async function importCommand(command: ImportCommand, { io, env }: CommandContext): Promise<number> {
  const file = userPath(env, command.file);
  const text = await readRegistryFile(file, command.file);
  let parsed: ParsedRegistry;
  try {
    parsed = parseRegistry(text, { skipInvalid: command.skipInvalid, source: file });
  } catch (error) {
    if (isRegistryError(error)) {
      throw new LmstrixError("INVALID_REGISTRY", describeRegistryError(command.file, error, command), {
        cause: error,
      });
    }
    throw error;
  }

  const existing = await openExistingDatabase(env);
  let choice: HostChoice;
  try {
    choice = await chooseHost(existing?.store ?? null, command.host, env);
  } catch (error) {
    await existing?.close();
    throw error;
  }

  // The library's refusals (a run in progress, a host gone meanwhile) are errors with their own exit code.
  let result: ImportResult;
  if (command.dryRun && !("stored" in choice)) {
    // Nothing to compare with (no database, or the host is not saved yet): every entry would be new.
    // Worked out on a scratch database, so that the dry run writes nothing here, not even the host.
    await existing?.close();
    result = await dryRunOnScratch(parsed, choice);
  } else {
    const database: CliDatabase = existing ?? (await openCliDatabase(env));
    try {
      const host = await saveHost(database.store, choice);
      result = await importRegistry(database.db, host.id, parsed, {
        dryRun: command.dryRun,
        keep: env.LMSTRIX_SNAPSHOT_KEEP,
      });
    } finally {
      await database.close();
    }
  }

  for (const warning of parsed.warnings) io.stderr.write(`lmstrix: warning: ${warning.message}\n`);
  if (command.json) {
    io.stdout.write(
      `${JSON.stringify({ file, host: hostName(choice), entries: parsed.entries.length, ...result }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(
      renderImportSummary(result, {
        file: command.file,
        hostName: hostName(choice),
        entries: parsed.entries.length,
      }),
    );
  }
  return EXIT.ok;
}

/**
 * The file's text. Refused (exit 2) before it is read: a path that does not exist or cannot be read, anything
 * but a regular file (a directory, a FIFO that would block, a device that never ends), and a file above the
 * registry size limit (100 MB of garbage is not read into memory to find out).
 */
async function readRegistryFile(file: string, typed: string): Promise<string> {
  const refuse = (why: string) => new LmstrixError("INVALID_INPUT", `cannot import ${typed}: ${why}`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before the file type is checked.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw refuse(`no such file (looked for ${file})`);
    if (code === "EACCES" || code === "EPERM") throw refuse(`permission denied (${file})`);
    if (code === "EISDIR") throw refuse("it is a directory, not a file");
    throw refuse(`it cannot be read (${code ?? String(error)})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refuse(`it is not a regular file (${kindOf(info)})`);
    if (info.size > REGISTRY_MAX_BYTES) {
      throw refuse(
        `the file is larger than ${REGISTRY_MAX_BYTES / 1024 / 1024} MB (${(info.size / 1024 / 1024).toFixed(1)} MB); a registry is refused above that size`,
      );
    }
    return await handle.readFile({ encoding: "utf8" });
  } catch (error) {
    if (isLmstrixError(error)) throw error;
    throw refuse(`it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await handle.close();
  }
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a named pipe";
  if (info.isSocket()) return "a socket";
  return "a device or other special file";
}

/** The library's message names entry and field; add which file, and the way out for entry problems. */
function describeRegistryError(typed: string, error: RegistryError, command: ImportCommand): string {
  const message = error.message.includes("\n")
    ? error.message
        .split("\n")
        .map((line, index) => (index === 0 ? line : `  ${line}`))
        .join("\n")
    : error.message;
  const inEntries = error.issues.some((issue) => issue.key !== null);
  const hint =
    inEntries && !command.skipInvalid
      ? "\nNothing was imported. To import the valid entries and skip the others, add --skip-invalid."
      : "\nNothing was imported.";
  return `cannot import ${typed}: ${message}${hint}`;
}

/** A dry run against an empty scratch database holding only the host: what a first import would do. */
async function dryRunOnScratch(parsed: ParsedRegistry, choice: HostChoice): Promise<ImportResult> {
  const directory = await mkdtemp(path.join(tmpdir(), "lmstrix-dry-run-"));
  try {
    const db = await openDatabase({ dataDir: directory });
    try {
      const host = await new PrismaStore(db.prisma).ensureHost(hostName(choice), hostUrl(choice));
      return await importRegistry(db, host.id, parsed, { dryRun: true });
    } finally {
      await db.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
