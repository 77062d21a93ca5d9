import { type Database, openDatabase } from "@lmstrix/db";

/** The e2e server's own database file (see playwright.config.ts), opened from the test process. */
export function openE2eDatabase(): Promise<Database> {
  const dataDir = process.env.LMSTRIX_E2E_DATA_DIR;
  if (!dataDir)
    throw new Error("LMSTRIX_E2E_DATA_DIR is not set: run the specs through playwright.config.ts");
  return openDatabase({ dataDir });
}
