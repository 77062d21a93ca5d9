import { mkdirSync } from "node:fs";
import { createClient } from "@libsql/client";
import { PrismaClient } from "@prisma/client";
import { BUSY_TIMEOUT_MS } from "./connection-pragmas";
import { ConfiguredLibSQL } from "./libsql-adapter";
import { applyMigrations, currentMigration } from "./migrate";
import { databasePath, databaseUrl, defaultDataDir } from "./paths";

export interface Database {
  prisma: PrismaClient;
  /** Absolute path of the SQLite file. */
  file: string;
  dataDir: string;
  /** Migrations this open applied (empty when the database was up to date). */
  appliedMigrations: string[];
  migrationVersion: string | null;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the database in `dataDir`, switches it to WAL and applies pending migrations,
 * so a fresh clone or a deleted data directory needs no manual step.
 */
export async function openDatabase(options: { dataDir?: string } = {}): Promise<Database> {
  const directory = options.dataDir ?? defaultDataDir();
  mkdirSync(directory, { recursive: true });
  const file = databasePath(directory);
  const url = databaseUrl(file);

  const setup = createClient({ url });
  let appliedMigrations: string[];
  let migrationVersion: string | null;
  try {
    // WAL is a property of the file: set once, every later connection uses it. Readers never block the writer.
    await setup.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    await setup.execute("PRAGMA journal_mode = WAL");
    appliedMigrations = await applyMigrations(setup);
    migrationVersion = await currentMigration(setup);
  } finally {
    setup.close();
  }

  const prisma = new PrismaClient({ adapter: new ConfiguredLibSQL({ url }) });
  return {
    prisma,
    file,
    dataDir: directory,
    appliedMigrations,
    migrationVersion,
    close: () => prisma.$disconnect(),
  };
}
