import type { openRawClient } from "@lmstrix/db/raw";
import { toSqliteDateTime } from "@lmstrix/db/raw";

export interface SeedOptions {
  dataDir: string;
  hosts: number;
  models: number;
  runs: number;
  probes: number;
  events: number;
}

export type Client = Awaited<ReturnType<typeof openRawClient>>;
export type Value = string | number | null;

export const DAY = 86_400_000;

/** Prisma (through the libSQL adapter) stores DateTime as this text. */
export const isoTime = (ms: number): string => toSqliteDateTime(new Date(ms));

/** Inserts rows as multi-row INSERTs (under SQLite's 32,766 bound-parameter limit), in one transaction. */
export class Inserter {
  private rows: Value[][] = [];
  private readonly perStatement: number;
  count = 0;

  constructor(
    private readonly client: Client,
    private readonly table: string,
    private readonly columns: string[],
  ) {
    this.perStatement = Math.floor(30_000 / columns.length);
  }

  async add(row: Value[]) {
    this.rows.push(row);
    this.count++;
    if (this.rows.length >= this.perStatement) await this.flush();
  }

  async flush() {
    if (this.rows.length === 0) return;
    const one = `(${this.columns.map(() => "?").join(",")})`;
    const sql = `INSERT INTO "${this.table}" (${this.columns.map((c) => `"${c}"`).join(",")}) VALUES ${this.rows
      .map(() => one)
      .join(",")}`;
    await this.client.execute({ sql, args: this.rows.flat() });
    this.rows = [];
  }
}

export const ERRORS = [
  ["INSUFFICIENT_RESOURCES", "Failed to load model: insufficient system resources (requires 18.2 GB)"],
  ["LOAD_FAILED", "Error loading model. (Exit code: 6). Unknown error."],
  ["TIMEOUT", "No reply within 600 s"],
] as const;

/** What every part of the seed shares: the connection, the sizes asked for, one seeded PRNG and the clock. */
export interface SeedContext {
  client: Client;
  options: SeedOptions;
  random: () => number;
  pick: <T>(items: readonly T[]) => T;
  now: number;
  /** When the seeded history starts (180 days ago). */
  origin: number;
}
