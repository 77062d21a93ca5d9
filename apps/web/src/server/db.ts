import "server-only";
import { type Database, dataDir, openDatabase } from "@lmstrix/db";
import { env } from "~/env";

// One database per server process, kept on globalThis so dev-mode module reloads don't open it again.
const globalForDb = globalThis as typeof globalThis & { lmstrixDatabase?: Promise<Database> };

/** The server's data directory: `LMSTRIX_DATA_DIR` made absolute, or the default one. */
export function webDataDir(): string {
  return dataDir(env().LMSTRIX_DATA_DIR);
}

/** The process's database, opened (and migrated) on first use. */
export function getDatabase(): Promise<Database> {
  globalForDb.lmstrixDatabase ??= openDatabase({ dataDir: webDataDir() }).catch((error: unknown) => {
    // Let the next request try again (e.g. after the user fixed the data directory's permissions).
    globalForDb.lmstrixDatabase = undefined;
    throw error;
  });
  return globalForDb.lmstrixDatabase;
}
