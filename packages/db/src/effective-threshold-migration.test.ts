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

describe("the effective_threshold migration", () => {
  it("gives a stored effective limit the threshold of its model's last run with filled checks", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-threshold-"));
    dirs.push(dir);
    const client = createClient({ url: `file:${path.join(dir, "test.db")}` });
    const migrations = await readMigrations();
    const index = migrations.findIndex((migration) => migration.name.endsWith("_effective_threshold"));
    expect(index).toBeGreaterThan(0);
    await applyMigrations(client, migrations.slice(0, index));
    await client.executeMultiple(`
      INSERT INTO "Host" (id, name, url, updatedAt) VALUES (1, 'h', 'ws://127.0.0.1:1234', CURRENT_TIMESTAMP);
      INSERT INTO "Model" (id, hostId, modelKey, displayName, type, path, sizeBytes, declaredContext, effectiveLimit)
        VALUES (1, 1, 'measured', 'm', 'llm', 'p', 1, 65536, 20000),
               (2, 1, 'none-stored', 'n', 'llm', 'p', 1, 65536, NULL);
      INSERT INTO "Run" (id, hostId, mode, optionsJson) VALUES
        (1, 1, 'single', '{"effective":true,"recallThreshold":0.856}'),
        (2, 1, 'single', '{"effective":true,"recallThreshold":0.9}'),
        (3, 1, 'single', '{"effective":false,"recallThreshold":0.5}');
      INSERT INTO "Probe" (runId, modelId, contextRequested, kind, outcome) VALUES
        (1, 1, 16384, 'effective', 'pass'),
        (2, 1, 16384, 'effective', 'pass'),
        (3, 1, 32768, 'loadable', 'pass'),
        (2, 2, 16384, 'effective', 'fail');
    `);
    await applyMigrations(client, migrations);
    const rows = await client.execute(`SELECT modelKey, effectiveThreshold FROM "Model" ORDER BY id`);
    // Run 3 had no filled checks; model 2's search found nothing, which nothing stored before told apart.
    expect(rows.rows.map((row) => ({ ...row }))).toEqual([
      { modelKey: "measured", effectiveThreshold: 0.9 },
      { modelKey: "none-stored", effectiveThreshold: null },
    ]);
    client.close();
  });
});
