import { getDatabase } from "~/server/db";
import { checkHealth } from "~/server/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** For load balancers and scripts: 200 with `status: "ok"` when healthy, 503 otherwise. */
export async function GET() {
  const report = await checkHealth(getDatabase);
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
