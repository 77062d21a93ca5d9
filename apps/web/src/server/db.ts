import "server-only";
import { type Database, openDatabase } from "@lmstrix/db";

// One database per server process, kept on globalThis so dev-mode module reloads don't open it again.
const globalForDb = globalThis as typeof globalThis & { lmstrixDatabase?: Promise<Database> };

/** The process's database, opened (and migrated) on first use. */
export function getDatabase(): Promise<Database> {
  globalForDb.lmstrixDatabase ??= openDatabase().catch((error: unknown) => {
    // Let the next request try again (e.g. after the user fixed the data directory's permissions).
    globalForDb.lmstrixDatabase = undefined;
    throw error;
  });
  return globalForDb.lmstrixDatabase;
}
