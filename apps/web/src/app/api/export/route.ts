import { exportRegistry } from "@lmstrix/db";
import { z } from "zod";
import { getServices } from "~/server/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const query = z.object({
  format: z.enum(["lmstrix", "json", "csv"]).default("lmstrix"),
  hostId: z.coerce.number().int().positive().optional(),
});

const TYPES = { lmstrix: "application/json", json: "application/json", csv: "text/csv" } as const;
const NAMES = { lmstrix: "lmstrix.json", json: "lmstrix-history.json", csv: "lmstrix-models.csv" } as const;

/** Downloads: `lmstrix` a registry the Python tool reads, `json` the full history, `csv` one row per model. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const parsed = query.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    return Response.json({ error: message }, { status: 400 });
  }
  const { format, hostId } = parsed.data;
  const { db } = await getServices();
  try {
    const body = await exportRegistry(db, { format, hostId });
    return new Response(body, {
      headers: {
        "content-type": `${TYPES[format]}; charset=utf-8`,
        "content-disposition": `attachment; filename="${NAMES[format]}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 400 });
  }
}
