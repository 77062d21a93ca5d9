import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "../../src/open-database";

/** A real SQLite database in a fresh temporary folder, removed again by `dispose`. */
export async function openTempDatabase(): Promise<Database & { dispose(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-db-"));
  const db = await openDatabase({ dataDir: dir });
  return {
    ...db,
    dispose: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
