import { exportStream, RegistryExportError } from "@lmstrix/db";
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
    // The full history can be hundreds of megabytes: it is sent as it is read, never held whole.
    const chunks = (await exportStream(db, { format, hostId }))[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return?.();
      },
    });
    return new Response(body, {
      headers: {
        "content-type": `${TYPES[format]}; charset=utf-8`,
        "content-disposition": `attachment; filename="${NAMES[format]}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    // The request's fault (an unknown host, no host to choose) says so; anything else is the server's and is a 500.
    if (!(error instanceof RegistryExportError)) throw error;
    const status = error.code === "HOST_NOT_FOUND" ? 404 : 400;
    return Response.json({ error: error.message }, { status });
  }
}
