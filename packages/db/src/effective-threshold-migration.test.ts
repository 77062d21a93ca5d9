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

const finished = (runId: number, modelKey: string, effective?: { limit: number | null; reason: string }) =>
  `(${runId}, 'model.finished', '${JSON.stringify({
    modelKey,
    status: "completed",
    ...(effective && { effectiveLimit: effective.limit, effectiveReason: effective.reason }),
  })}')`;

describe("the effective_threshold migration", () => {
  it("reads each model's standing effective result, found or none, from what its runs reported", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-threshold-"));
    dirs.push(dir);
    const client = createClient({ url: `file:${path.join(dir, "test.db")}` });
    const migrations = await readMigrations();
    const index = migrations.findIndex((migration) => migration.name.endsWith("_effective_threshold"));
    expect(index).toBeGreaterThan(0);
    await applyMigrations(client, migrations.slice(0, index));
    const none =
      "does not pass the filled check even at 4,096 tokens (recall 70% below the threshold of 85.6%)";
    await client.executeMultiple(`
      INSERT INTO "Host" (id, name, url, updatedAt) VALUES (1, 'h', 'ws://127.0.0.1:1234', CURRENT_TIMESTAMP);
      INSERT INTO "Model" (id, hostId, modelKey, displayName, type, path, sizeBytes, declaredContext,
                           testStatus, loadableLimit, effectiveLimit) VALUES
        (1, 1, 'measured', 'm', 'llm', 'p', 1, 65536, 'completed', 65536, 20000),
        (2, 1, 'none-found', 'n', 'llm', 'p', 1, 65536, 'completed', 65536, NULL),
        (3, 1, 'check-failed', 'c', 'llm', 'p', 1, 65536, 'completed', 65536, NULL),
        (4, 1, 'tested-since', 't', 'llm', 'p', 1, 65536, 'completed', 65536, NULL),
        (5, 1, 'no-events', 'e', 'llm', 'p', 1, 65536, 'completed', 65536, 30000),
        (6, 1, 'never', 'v', 'llm', 'p', 1, 65536, 'completed', 65536, NULL);
      INSERT INTO "Run" (id, hostId, mode, optionsJson) VALUES
        (1, 1, 'all', '{"effective":true,"recallThreshold":0.856}'),
        (2, 1, 'single', '{"effective":true,"recallThreshold":0.9}'),
        (3, 1, 'all', '{"effective":false,"recallThreshold":0.5}');
      INSERT INTO "RunEvent" (runId, type, payloadJson) VALUES
        ${finished(1, "measured", { limit: 20000, reason: "fitted" })},
        ${finished(1, "none-found", { limit: null, reason: none })},
        ${finished(1, "check-failed", { limit: null, reason: "filled check failed: the model crashed" })},
        ${finished(1, "tested-since", { limit: null, reason: none })},
        ${finished(3, "tested-since")},
        ${finished(3, "never")};
      INSERT INTO "Probe" (runId, modelId, contextRequested, kind, outcome) VALUES
        (1, 1, 16384, 'effective', 'pass'),
        -- A search at 0.9 cancelled before its end: it reported nothing, and the limit is still 0.856's.
        (2, 1, 16384, 'effective', 'pass'),
        (2, 5, 16384, 'effective', 'pass');
    `);
    await applyMigrations(client, migrations);
    const rows = await client.execute(`SELECT modelKey, effectiveThreshold FROM "Model" ORDER BY id`);
    expect(rows.rows.map((row) => ({ ...row }))).toEqual([
      { modelKey: "measured", effectiveThreshold: 0.856 },
      { modelKey: "none-found", effectiveThreshold: 0.856 },
      // A filled check that could not run measured nothing.
      { modelKey: "check-failed", effectiveThreshold: null },
      // A result since (results may have been cleared between): not known any more.
      { modelKey: "tested-since", effectiveThreshold: null },
      // No event: the threshold of the model's last run with filled checks.
      { modelKey: "no-events", effectiveThreshold: 0.9 },
      { modelKey: "never", effectiveThreshold: null },
    ]);
    expect((await client.execute(`SELECT name FROM sqlite_temp_master`)).rows).toEqual([]);
    client.close();
  });
});
