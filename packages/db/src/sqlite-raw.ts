import { type Client, createClient, type InValue } from "@libsql/client";
import { z } from "zod";
import { BUSY_TIMEOUT_MS } from "./connection-pragmas";
import type { Database } from "./open-database";
import { databaseUrl } from "./paths";

/** What the snapshot, health and registry functions need of an open database. */
export type DatabaseHandle = Pick<Database, "prisma" | "file" | "dataDir">;

/**
 * A plain libSQL connection to an SQLite file, with the busy timeout every LMStrix connection has and foreign
 * keys left off (the caller says when it wants them). For statements Prisma cannot run: `VACUUM INTO`,
 * `ATTACH`, integrity checks on files that are not (or no longer) a usable database.
 */
export async function openRawClient(file: string): Promise<Client> {
  const client = createClient({ url: databaseUrl(file) });
  try {
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

export type Row = Record<string, unknown>;

/** Rows as plain objects. */
export async function query(
  client: Pick<Client, "execute">,
  sql: string,
  args: InValue[] = [],
): Promise<Row[]> {
  const result = await client.execute({ sql, args });
  return result.rows.map((row) => ({ ...row }));
}

/** Rows parsed by `rowSchema` (a column the query does not return fails, naming it). */
export async function queryRows<T>(
  client: Pick<Client, "execute">,
  sql: string,
  rowSchema: z.ZodType<T>,
  args: InValue[] = [],
): Promise<T[]> {
  return (await query(client, sql, args)).map((row) => rowSchema.parse(row));
}

/**
 * Column readers for `queryRows` schemas. As lenient as `Number(…)` and `String(…)` with what SQLite stores
 * (a damaged or hand-edited file's odd values are still read and reported, never refused), but a column the
 * query does not return is an error.
 */
const sqliteValue = z.union([z.string(), z.number(), z.bigint(), z.null()]);
export const sqliteNumber = sqliteValue.transform(Number);
export const sqliteText = sqliteValue.transform(String);

/** `"name"` for SQL, with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A date the way Prisma's SQLite adapter stores `DateTime` (`2026-11-26T22:40:01.123+00:00`). */
export function toSqliteDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/**
 * A `DATETIME` column read without Prisma: Prisma's ISO text, SQLite's `CURRENT_TIMESTAMP` text (UTC without a
 * zone), or epoch milliseconds. `null` for anything else.
 */
export function fromSqliteDateTime(value: unknown): Date | null {
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value !== "string") return null;
  const text = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
    ? `${value.replace(" ", "T")}Z`
    : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const sqliteDate = z.unknown().transform(fromSqliteDateTime);

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
