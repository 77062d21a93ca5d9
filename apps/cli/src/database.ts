import { existsSync } from "node:fs";
import { LmstrixError } from "@lmstrix/core";
import { type Database, databasePath, defaultDataDir, openDatabase, PrismaStore } from "@lmstrix/db";
import type { CliEnv } from "./env";
import { oneLine } from "./format/numbers";

export interface CliDatabase {
  db: Database;
  store: PrismaStore;
  close(): Promise<void>;
}

/** The data directory the CLI uses: LMSTRIX_DATA_DIR (resolved from where the user ran it) or the default. */
export function cliDataDir(env: CliEnv): string {
  return env.dataDir ?? defaultDataDir();
}

export function databaseExists(env: CliEnv): boolean {
  return existsSync(databasePath(cliDataDir(env)));
}

/**
 * Opens (creating and migrating if needed) the database. For commands that write. A file that cannot be
 * opened (damaged, not a database) is a failure with a pointer to `health`, not a stack trace.
 */
export async function openCliDatabase(env: CliEnv): Promise<CliDatabase> {
  const directory = cliDataDir(env);
  let db: Database;
  try {
    db = await openDatabase({ dataDir: directory });
  } catch (error) {
    const reason = oneLine(error instanceof Error ? error.message : String(error), 300);
    throw new LmstrixError(
      "DATABASE_UNAVAILABLE",
      `cannot open the database ${databasePath(directory)} (${reason}). Check it with: pnpm lmstrix health`,
      { cause: error },
    );
  }
  return { db, store: new PrismaStore(db.prisma), close: () => db.close() };
}

/**
 * Opens the database only if it exists: commands that merely read (and checks made before a command may
 * write) must not leave a fresh database file behind.
 */
export async function openExistingDatabase(env: CliEnv): Promise<CliDatabase | null> {
  return databaseExists(env) ? openCliDatabase(env) : null;
}
