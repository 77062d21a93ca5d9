import "server-only";
import type { Database } from "@lmstrix/db";
import { checkHealth, databasePath, type HealthReport } from "@lmstrix/db";
import { env } from "~/env";
import packageJson from "../../package.json";
import { webDataDir } from "./db";

export interface WebHealth {
  /** `ok`, `warning` (data problems worth a look; the service works) or `error`. */
  status: HealthReport["status"];
  version: string;
  report: HealthReport | null;
  /** Set when the database could not even be opened. */
  error?: string;
}

/** The database's health (integrity, validation problems, snapshots), or why it could not be checked. */
export async function checkWebHealth(open: () => Promise<Database>): Promise<WebHealth> {
  const version = packageJson.version;
  try {
    const db = await open();
    const report = await checkHealth(db, { leaseStaleMs: env().LMSTRIX_LEASE_STALE_MS });
    return { status: report.status, version, report };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: "error",
      version,
      report: null,
      error: `${message} (database: ${databasePath(webDataDir())})`,
    };
  }
}

export interface WebLiveness {
  status: "ok" | "error";
  version: string;
  database: { ok: true; path: string; migration: string | null } | { ok: false; error: string };
}

/**
 * Whether the service answers: the database opens and responds to a query. Constant time, unlike
 * `checkWebHealth`, whose integrity check reads the whole file (0.8 s for 300 MB) — for monitors polling often.
 */
export async function checkWebLiveness(open: () => Promise<Database>): Promise<WebLiveness> {
  const version = packageJson.version;
  try {
    const db = await open();
    await db.prisma.$queryRaw`SELECT 1`;
    return { status: "ok", version, database: { ok: true, path: db.file, migration: db.migrationVersion } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: "error",
      version,
      database: { ok: false, error: `${message} (database: ${databasePath(webDataDir())})` },
    };
  }
}
