import { type Database, openDatabase } from "@lmstrix/db";
import { e2e } from "./env";

/** The e2e server's own database file (see playwright.config.ts), opened from the test process. */
export function openE2eDatabase(): Promise<Database> {
  return openDatabase({ dataDir: e2e.dataDir });
}
