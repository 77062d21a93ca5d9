import "server-only";
import { limitsReport, type Store } from "@lmstrix/core";

/**
 * `GET /api/limits[?host=NAME]`: the measured limits for other tools and scripts, as `lmstrix export --format
 * limits` writes them (core's `LimitsReport`: stable field names). Token-protected in team mode like every API
 * (the proxy). An unknown host is a 404.
 */
export async function limitsResponse(
  store: Pick<Store, "listHosts" | "listModels" | "listHostProbes" | "getRun">,
  url: URL,
): Promise<Response> {
  const name = url.searchParams.get("host");
  const hosts = await store.listHosts();
  const chosen = name === null ? hosts : hosts.filter((host) => host.name === name);
  if (name !== null && chosen.length === 0) {
    return Response.json({ error: `No host named "${name}"` }, { status: 404 });
  }
  return Response.json(await limitsReport(store, { hosts: chosen }), {
    headers: { "cache-control": "no-store" },
  });
}
