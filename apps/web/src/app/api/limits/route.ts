import { limitsResponse } from "~/server/limits-api";
import { getServices } from "~/server/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The measured limits per host and model key, for other tools (see `limitsResponse` and the README). */
export async function GET(request: Request) {
  const { store } = await getServices();
  return limitsResponse(store, new URL(request.url));
}
