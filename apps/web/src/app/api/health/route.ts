import { getDatabase } from "~/server/db";
import { checkWebHealth, checkWebLiveness } from "~/server/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

/**
 * For monitors and scripts: 200 while the service works (`status` "ok", or "warning" for data problems worth
 * a look), 503 when the database is damaged or cannot be opened. `?live` answers only whether the service and
 * its database respond, in constant time: for a monitor that polls every few seconds.
 */
export async function GET(request: Request) {
  if (new URL(request.url).searchParams.has("live")) {
    const live = await checkWebLiveness(getDatabase);
    return Response.json(live, { status: live.status === "ok" ? 200 : 503, headers: NO_STORE });
  }
  const health = await checkWebHealth(getDatabase);
  const { report } = health;
  const body = {
    status: health.status,
    version: health.version,
    database: report
      ? {
          ok: report.integrity.ok,
          path: report.database.path,
          sizeBytes: report.database.sizeBytes,
          migration: report.database.migrationVersion,
          integrity: report.integrity.result.join("; "),
        }
      : { ok: false, error: health.error },
    problems: report?.problems.map(({ kind, severity, message }) => ({ kind, severity, message })) ?? [],
    snapshots: report?.snapshots.length ?? 0,
  };
  return Response.json(body, {
    status: health.status === "error" ? 503 : 200,
    headers: NO_STORE,
  });
}
