import path from "node:path";
import { openDatabase } from "@lmstrix/db";
import { FIXTURES_DIR, fileChecksum } from "@lmstrix/db/testing";

export { corruptFile } from "@lmstrix/db/testing";

/** The database package's registry fixtures: a realistic 54-model lmstrix.json, lmsm.json, malformed files. */
export const FLEET_FILE = path.join(FIXTURES_DIR, "lmstrix-fleet.json");
export const LEGACY_FILE = path.join(FIXTURES_DIR, "lmsm-legacy.json");
export const MALFORMED_DIR = path.join(FIXTURES_DIR, "malformed");

/** SHA-256 of the database in `dataDir` with its write-ahead log folded in: equal means not one byte changed. */
export async function databaseChecksum(dataDir: string): Promise<string> {
  const db = await openDatabase({ dataDir });
  try {
    return await fileChecksum(db);
  } finally {
    await db.close();
  }
}
