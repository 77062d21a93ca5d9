import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { readMigrations } from "./migrate";
import { openDatabase } from "./open-database";

const run = promisify(execFile);
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lmstrix-db-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("openDatabase", () => {
  it("creates a migrated WAL database in a fresh data directory", async () => {
    const dir = path.join(tempDir(), "nested", "data");
    const db = await openDatabase({ dataDir: dir });
    const migrations = await readMigrations();
    expect(db.appliedMigrations).toEqual(migrations.map((migration) => migration.name));
    expect(db.migrationVersion).toBe(migrations.at(-1)?.name);
    expect(db.file).toBe(path.join(dir, "lmstrix.db"));
    expect(await db.prisma.$queryRawUnsafe("PRAGMA journal_mode")).toEqual([{ journal_mode: "wal" }]);
    expect(await db.prisma.$queryRawUnsafe("PRAGMA busy_timeout")).toEqual([{ timeout: 10_000 }]);
    expect(await db.prisma.$queryRawUnsafe("PRAGMA foreign_keys")).toEqual([{ foreign_keys: 1 }]);
    await db.close();
  });

  it("keeps data across a reopen and applies nothing twice", async () => {
    const dir = tempDir();
    const first = await openDatabase({ dataDir: dir });
    await first.prisma.host.create({ data: { name: "gpu-1", url: "ws://10.0.0.1:1234" } });
    await first.close();
    const second = await openDatabase({ dataDir: dir });
    expect(second.appliedMigrations).toEqual([]);
    expect(await second.prisma.host.findMany({ select: { name: true } })).toEqual([{ name: "gpu-1" }]);
    await second.close();
  });

  it("cascades deletes through foreign keys on every connection, transactions included", async () => {
    const db = await openDatabase({ dataDir: tempDir() });
    const host = await db.prisma.host.create({ data: { name: "h", url: "ws://127.0.0.1:1" } });
    await db.prisma.$transaction(async (tx) => {
      await tx.run.create({ data: { hostId: host.id, mode: "all" } });
    });
    await db.prisma.host.delete({ where: { id: host.id } });
    expect(await db.prisma.run.count()).toBe(0);
    await db.close();
  });

  it("lets two processes open the same fresh database at once", async () => {
    const dir = tempDir();
    const script = `import { openDatabase } from ${JSON.stringify(path.resolve("src/open-database.ts"))};
      const db = await openDatabase({ dataDir: ${JSON.stringify(dir)} });
      await db.prisma.host.create({ data: { name: "h" + process.pid, url: "ws://127.0.0.1:1" } });
      await db.close();`;
    const scriptFile = path.join(dir, "open.mts");
    writeFileSync(scriptFile, script);
    const tsx = path.resolve("node_modules/.bin/tsx");
    await Promise.all([1, 2].map(() => run(tsx, [scriptFile])));
    const db = await openDatabase({ dataDir: dir });
    expect(await db.prisma.host.count()).toBe(2);
    await db.close();
  }, 30_000);
});
