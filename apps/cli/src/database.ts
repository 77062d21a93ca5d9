import { existsSync } from "node:fs";
import { type Database, databasePath, dataDir, openDatabase, PrismaStore } from "@lmstrix/db";
import type { CliEnv } from "./env";
import { CliFailure } from "./errors";
import { oneLine } from "./format/numbers";

export interface CliDatabase {
  db: Database;
  store: PrismaStore;
  close(): Promise<void>;
}

/** The data directory the CLI uses: LMSTRIX_DATA_DIR (resolved from where the user ran it) or the default. */
export function cliDataDir(env: CliEnv): string {
  // The package default is `data/` at the repo root; pass an env without the variable to get it.
  return env.dataDir ?? dataDir({});
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
    throw new CliFailure(
      `cannot open the database ${databasePath(directory)} (${reason}). Check it with: pnpm lmstrix health`,
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
