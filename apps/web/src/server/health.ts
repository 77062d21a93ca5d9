import "server-only";
import type { Database } from "@lmstrix/db";
import packageJson from "../../package.json";

export interface HealthReport {
  status: "ok" | "error";
  version: string;
  database: {
    ok: boolean;
    path: string | null;
    migration: string | null;
    integrity: string | null;
    error?: string;
  };
}

/** Whether the database opens, is migrated and passes SQLite's own integrity check. */
export async function checkHealth(open: () => Promise<Database>): Promise<HealthReport> {
  const version = packageJson.version;
  try {
    const db = await open();
    const rows = await db.prisma.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
    const integrity = rows.map((row) => row.integrity_check).join("; ");
    const ok = integrity === "ok";
    return {
      status: ok ? "ok" : "error",
      version,
      database: { ok, path: db.file, migration: db.migrationVersion, integrity },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: "error",
      version,
      database: { ok: false, path: null, migration: null, integrity: null, error: message },
    };
  }
}
