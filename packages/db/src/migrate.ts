import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Client } from "@libsql/client";
import { plural } from "@lmstrix/core";
import { BUSY_TIMEOUT_MS } from "./connection-pragmas";
import { migrationsDir } from "./paths";

/** Same table and columns as `prisma migrate`, so `prisma migrate status/dev` keep working on app-made files. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(directory: string = migrationsDir()): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies the committed migrations that the database lacks, each in its own write transaction.
 * `BEGIN IMMEDIATE` (a "write" transaction) makes two processes opening a fresh database at once take turns
 * instead of both creating the tables. Returns the names applied.
 *
 * `client` must be a plain libSQL client, not one with foreign keys switched on: Prisma's SQLite migrations
 * redefine a table by copying it and dropping the old one, and with foreign keys on that DROP would cascade
 * and delete every row that references it (the migration's own `PRAGMA foreign_keys=OFF` is a no-op inside
 * a transaction). Foreign keys are checked before each commit instead.
 */
export async function applyMigrations(client: Client, migrations?: MigrationFile[]): Promise<string[]> {
  const pending = migrations ?? (await readMigrations());
  await client.execute(CREATE_MIGRATIONS_TABLE);
  // Most opens find nothing to do: checking first keeps them from opening a transaction per migration (libSQL
  // hands a transaction its own connection and never closes it; it lingers until garbage collection).
  const doneNames = new Set(await appliedMigrations(client));
  const applied: string[] = [];
  for (const migration of pending.filter((candidate) => !doneNames.has(candidate.name))) {
    // libSQL hands each transaction a connection and opens a new one afterwards: configure it every time.
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await client.execute("PRAGMA foreign_keys = OFF");
    const tx = await client.transaction("write");
    try {
      // Another process may have applied it since the check above.
      const isDone = await tx.execute({
        sql: `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        args: [migration.name],
      });
      if (isDone.rows.length > 0) {
        await tx.rollback();
        continue;
      }
      await tx.executeMultiple(migration.sql);
      const violations = await tx.execute("PRAGMA foreign_key_check");
      if (violations.rows.length > 0) {
        throw new Error(
          `Migration ${migration.name} would break ${plural(violations.rows.length, "foreign key")}`,
        );
      }
      await tx.execute({
        sql: `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
              VALUES (?, ?, ?, ?, ?, 1)`,
        args: [
          randomUUID(),
          migration.checksum,
          new Date().toISOString(),
          migration.name,
          new Date().toISOString(),
        ],
      });
      await tx.commit();
      applied.push(migration.name);
    } finally {
      tx.close();
    }
  }
  return applied;
}

/** Names of the migrations applied to the database (finished, not rolled back), in order. */
export async function appliedMigrations(client: Client): Promise<string[]> {
  const result = await client.execute(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return result.rows.map((row) => String(row.migration_name));
}

/** Name of the newest migration applied to the database, or `null` for an empty one. */
export async function currentMigration(client: Client): Promise<string | null> {
  const result = await client.execute(
    `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name DESC LIMIT 1`,
  );
  const name = result.rows[0]?.migration_name;
  return typeof name === "string" ? name : null;
}
