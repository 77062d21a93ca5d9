import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "@lmstrix/db";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

const { checkWebHealth, checkWebLiveness } = await import("./health");

const dirs: string[] = [];
const opened: Database[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-web-health-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const db of opened) await db.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function openReal(): Promise<Database> {
  const db = await openDatabase({ dataDir: tempDir() });
  opened.push(db);
  return db;
}

/** A data directory whose database path is a folder: SQLite cannot open it. */
function unopenable(): () => Promise<Database> {
  const dir = tempDir();
  mkdirSync(path.join(dir, "lmstrix.db"));
  return () => openDatabase({ dataDir: dir });
}

describe("health for monitors", () => {
  it("the quick liveness answer agrees with the full check on a working database", async () => {
    const db = await openReal();
    const live = await checkWebLiveness(async () => db);
    const full = await checkWebHealth(async () => db);
    expect(full.status).toBe("ok");
    expect(live).toMatchObject({ status: "ok", database: { ok: true, path: db.file } });
    expect(live.database).toHaveProperty("migration", full.report?.database.migrationVersion);
    expect(live.version).toBe(full.version);
  });

  it("both say error, with the reason, when the database cannot be opened", async () => {
    const open = unopenable();
    const live = await checkWebLiveness(open);
    const full = await checkWebHealth(open);
    expect(live.status).toBe("error");
    expect(live.database.ok).toBe(false);
    expect(live.database).toHaveProperty("error", expect.stringContaining("(database: "));
    expect(full.status).toBe("error");
    expect(full.error).toContain("(database: ");
  });
});
