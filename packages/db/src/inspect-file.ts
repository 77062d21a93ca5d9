import type { Client } from "@libsql/client";
import { z } from "zod";
import { query, queryRows, sqliteText } from "./sqlite-raw";

/** Tables a database must have to be an LMStrix database (and a snapshot one that can be restored). */
export const REQUIRED_TABLES = [
  "Host",
  "HostLease",
  "Model",
  "Run",
  "Probe",
  "RunEvent",
  "Snapshot",
] as const;

const nameRow = z.object({ name: sqliteText });

/**
 * `PRAGMA integrity_check`'s lines, `["ok"]` for a sound file. Throws when the file is not a readable SQLite
 * database at all.
 */
export async function integrityLines(client: Client): Promise<string[]> {
  return (await query(client, "PRAGMA integrity_check")).map((row) => String(Object.values(row)[0]));
}

export function isIntact(lines: readonly string[]): boolean {
  return lines.length === 1 && lines[0] === "ok";
}

/** How many tables the file has, and which of `REQUIRED_TABLES` and the migration log it lacks. */
export async function lackingTables(client: Client): Promise<{ tableCount: number; lacking: string[] }> {
  const rows = await queryRows(client, "SELECT name FROM sqlite_master WHERE type = 'table'", nameRow);
  const tables = new Set(rows.map((row) => row.name));
  const lacking = [...REQUIRED_TABLES, "_prisma_migrations"].filter((table) => !tables.has(table));
  return { tableCount: tables.size, lacking };
}
