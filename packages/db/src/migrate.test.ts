import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "./migrate";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempClient() {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-migrate-"));
  dirs.push(dir);
  return createClient({ url: `file:${path.join(dir, "test.db")}` });
}

describe("applyMigrations", () => {
  it("keeps rows that reference a table a later migration redefines", async () => {
    const client = tempClient();
    const [first, ...rest] = await readMigrations();
    expect(rest.length).toBeGreaterThan(0);
    await applyMigrations(client, [first!]);
    await client.executeMultiple(`
      INSERT INTO "Host" (id, name, url, updatedAt) VALUES (1, 'h', 'ws://127.0.0.1:1234', CURRENT_TIMESTAMP);
      INSERT INTO "Model" (id, hostId, modelKey, displayName, type, path, sizeBytes, declaredContext)
        VALUES (1, 1, 'm', 'm', 'llm', 'p', 1, 4096);
      INSERT INTO "Run" (id, hostId, mode) VALUES (1, 1, 'single');
      INSERT INTO "Probe" (id, runId, modelId, contextRequested, outcome) VALUES (1, 1, 1, 2048, 'pass');
    `);
    // Prisma's way of changing a column of a table others reference: copy, drop, rename.
    const createRun = /CREATE TABLE "Run" \([\s\S]*?\n\);/.exec(first!.sql)![0];
    // The columns the first migration made: later ones add more, which its table definition does not have.
    const runColumns = [...createRun.matchAll(/^\s+"(\w+)"/gm)].map((match) => `"${match[1]}"`).join(", ");
    const redefineRun = `PRAGMA defer_foreign_keys=ON;
      PRAGMA foreign_keys=OFF;
      ${createRun.replace('"Run"', '"new_Run"')}
      INSERT INTO "new_Run" SELECT ${runColumns} FROM "Run";
      DROP TABLE "Run";
      ALTER TABLE "new_Run" RENAME TO "Run";
      PRAGMA foreign_keys=ON;
      PRAGMA defer_foreign_keys=OFF;`;
    const synthetic = { name: "99999999999999_redefine_run", sql: redefineRun, checksum: "test" };
    const applied = await applyMigrations(client, [first!, ...rest, synthetic]);
    expect(applied).toEqual([...rest.map((migration) => migration.name), synthetic.name]);
    const probes = await client.execute(`SELECT contextRequested, outcome FROM "Probe"`);
    expect(probes.rows.map((row) => ({ ...row }))).toEqual([{ contextRequested: 2048, outcome: "pass" }]);
    client.close();
  });

  it("records migrations the way prisma migrate does, with the file's checksum", async () => {
    const client = tempClient();
    const migrations = await readMigrations();
    await applyMigrations(client);
    const rows = await client.execute(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.rows.map((row) => ({ ...row }))).toEqual(
      migrations.map((migration) => ({
        migration_name: migration.name,
        checksum: migration.checksum,
        applied_steps_count: 1,
      })),
    );
    expect(await applyMigrations(client)).toEqual([]);
    client.close();
  });
});
