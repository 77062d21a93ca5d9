import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Client } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { integrityLines, isIntact, lackingTables } from "./inspect-file";
import { appliedMigrations, applyMigrations, readMigrations } from "./migrate";
import { openRawClient, queryRows, sqliteDate, sqliteNumber, sqliteText } from "./sqlite-raw";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function tempClient(): Promise<Client> {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-raw-"));
  const client = await openRawClient(path.join(dir, "test.db"));
  cleanups.push(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return client;
}

describe("queryRows", () => {
  it("reads what SQLite stores the way Number() and String() did, odd values of a hand-edited file included", async () => {
    const client = await tempClient();
    await client.executeMultiple(`
      CREATE TABLE t (id INTEGER PRIMARY KEY, size INTEGER, name TEXT, at DATETIME);
      INSERT INTO t VALUES (1, 42, 'a', '2026-11-26T22:40:01.123+00:00');
      INSERT INTO t VALUES (2, 'abc', 7, 'not a date');
      INSERT INTO t VALUES (3, NULL, NULL, NULL);
    `);
    const rows = await queryRows(
      client,
      "SELECT id, size, name, at FROM t ORDER BY id",
      z.object({ id: sqliteNumber, size: sqliteNumber, name: sqliteText, at: sqliteDate }),
    );
    expect(rows).toEqual([
      { id: 1, size: 42, name: "a", at: new Date("2026-11-26T22:40:01.123Z") },
      { id: 2, size: Number.NaN, name: "7", at: null },
      { id: 3, size: 0, name: "null", at: null },
    ]);
  });

  it("fails, naming the column, when the query does not return a column the schema reads", async () => {
    const client = await tempClient();
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    await client.execute("INSERT INTO t VALUES (1)");
    await expect(
      queryRows(client, "SELECT id FROM t", z.object({ id: sqliteNumber, modelKey: sqliteText })),
    ).rejects.toThrow(/modelKey/);
  });
});

describe("file inspection", () => {
  it("tells a sound LMStrix file from an empty one and from one lacking tables", async () => {
    const client = await tempClient();
    expect(await lackingTables(client)).toMatchObject({ tableCount: 0 });
    await client.execute("CREATE TABLE Host (id INTEGER)");
    expect(await lackingTables(client)).toEqual({
      tableCount: 1,
      lacking: ["HostLease", "Model", "Run", "Probe", "RunEvent", "Snapshot", "_prisma_migrations"],
    });
    const fresh = await tempClient();
    await applyMigrations(fresh);
    expect(await lackingTables(fresh)).toMatchObject({ lacking: [] });
    const lines = await integrityLines(fresh);
    expect(lines).toEqual(["ok"]);
    expect(isIntact(lines)).toBe(true);
    expect(isIntact(["*** in database main ***", "Page 3 is never used"])).toBe(false);
  });

  it("lists the applied migrations in order, without the rolled back or unfinished ones", async () => {
    const client = await tempClient();
    await applyMigrations(client);
    const names = (await readMigrations()).map((migration) => migration.name);
    expect(await appliedMigrations(client)).toEqual(names);
    await client.execute(
      `UPDATE "_prisma_migrations" SET rolled_back_at = CURRENT_TIMESTAMP WHERE migration_name = ?`,
      [names.at(-1)!],
    );
    expect(await appliedMigrations(client)).toEqual(names.slice(0, -1));
  });
});
