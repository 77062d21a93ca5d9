import type { Prisma } from "@prisma/client";
import { quoteIdentifier, toSqliteDateTime } from "./sqlite-raw";

/**
 * Rows a statement carries. The rows travel as one JSON text bound to a single parameter and are unpacked by
 * SQLite (`json_each`), so a statement binds one value, not one per cell: with one bound value per cell,
 * libSQL converts and copies every cell separately and the process's native heap grew by ~300 MB for
 * a 50,000-model import.
 */
export const ROWS_PER_STATEMENT = 2_000;

/** `items` in consecutive slices of at most `size`. */
function* inChunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export type ColumnValue = string | number | bigint | boolean | Date | null;

export interface RowUpdate {
  id: number;
  /** Column name → new value. */
  set: Record<string, ColumnValue>;
}

/**
 * A value as Prisma stores it in SQLite, in JSON: dates as Prisma's ISO text, booleans as 0/1 (`->>` gives
 * JSON true/false as 1/0 anyway), big integers as numbers (sizes in bytes stay far below 2^53).
 */
function toJsonValue(value: ColumnValue): string | number | null {
  if (value instanceof Date) return toSqliteDateTime(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  return value;
}

/** `value->>0 AS "a", value->>1 AS "b", …`: the columns of one JSON array row from `json_each`. */
function unpacked(columns: readonly string[]): string {
  return columns.map((column, index) => `value->>${index} AS ${quoteIdentifier(column)}`).join(", ");
}

/** One JSON text of the rows, each an array of its cells. */
function packed(rows: readonly (readonly ColumnValue[])[]): string {
  return JSON.stringify(rows.map((row) => row.map(toJsonValue)));
}

/**
 * Inserts rows (all with the same columns, in the same order) into `table`, `ROWS_PER_STATEMENT` rows a
 * statement: one Prisma round trip per batch instead of one per row. Raw SQL rather than `createMany`, whose
 * rendering by Prisma's query compiler costs time that grows with the square of the values in a call.
 */
export async function insertRows(
  tx: Prisma.TransactionClient,
  table: string,
  rows: readonly Record<string, ColumnValue>[],
): Promise<void> {
  const columns = Object.keys(rows[0] ?? {});
  const names = columns.map(quoteIdentifier).join(", ");
  const sql = `INSERT INTO ${quoteIdentifier(table)} (${names}) SELECT ${unpacked(columns)} FROM json_each(?)`;
  for (const chunk of inChunks(rows, ROWS_PER_STATEMENT)) {
    await tx.$executeRawUnsafe(sql, packed(chunk.map((row) => columns.map((column) => row[column] ?? null))));
  }
}

/**
 * Updates many rows of `table` by id, `ROWS_PER_STATEMENT` a statement: rows that change the same columns
 * are written together with `UPDATE … FROM json_each(?)`, instead of one statement per row.
 */
export async function updateRowsById(
  tx: Prisma.TransactionClient,
  table: string,
  updates: readonly RowUpdate[],
): Promise<void> {
  const groups = new Map<string, { columns: string[]; updates: RowUpdate[] }>();
  for (const update of updates) {
    const columns = Object.keys(update.set).sort();
    if (columns.length === 0) continue;
    const key = columns.join("\u0000");
    const group = groups.get(key) ?? { columns, updates: [] };
    group.updates.push(update);
    groups.set(key, group);
  }
  const target = quoteIdentifier(table);
  for (const { columns, updates: rows } of groups.values()) {
    const assignments = columns.map((column) => `${quoteIdentifier(column)} = v.${quoteIdentifier(column)}`);
    const sql =
      `UPDATE ${target} SET ${assignments.join(", ")} ` +
      `FROM (SELECT ${unpacked(["$id", ...columns])} FROM json_each(?)) AS v WHERE ${target}."id" = v."$id"`;
    for (const chunk of inChunks(rows, ROWS_PER_STATEMENT)) {
      await tx.$executeRawUnsafe(
        sql,
        packed(chunk.map((row) => [row.id, ...columns.map((column) => row.set[column] ?? null)])),
      );
    }
  }
}
