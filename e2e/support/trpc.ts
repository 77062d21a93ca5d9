/**
 * The dashboard's tRPC wire format (superjson envelope), shared by the stress specs (plain `fetch` to a server
 * they started) and e2e/specs (Playwright's `request`), so both read replies and judge success the same way.
 */

export interface TrpcReply<T> {
  status: number;
  data?: T;
  error?: { message: string; code: string; httpStatus?: number };
}

interface Envelope<T> {
  result?: { data: { json: T } };
  /** tRPC's error envelope, or the plain `{ error: "…" }` the proxy answers with (401, 403, 413). */
  error?: string | { json: { message: string; data?: { code: string; httpStatus?: number } } };
}

/** Reads a reply's body whatever it is: data, a tRPC error, the proxy's plain error or not JSON at all. */
export function parseReply<T>(status: number, text: string): TrpcReply<T> {
  let body: Envelope<T>;
  try {
    body = JSON.parse(text) as Envelope<T>;
  } catch {
    return { status, error: { message: text.slice(0, 500), code: "NOT_JSON" } };
  }
  if (body.result) return { status, data: body.result.data.json };
  if (typeof body.error === "string") return { status, error: { message: body.error, code: "" } };
  return {
    status,
    error: {
      message: body.error?.json.message ?? "",
      code: body.error?.json.data?.code ?? "",
      httpStatus: body.error?.json.data?.httpStatus,
    },
  };
}

/** Fails with the server's message when a call did not succeed; returns its data (undefined for a void one). */
export function ok<T>(reply: TrpcReply<T>, what: string): T {
  if (reply.error !== undefined || reply.status >= 400) {
    throw new Error(`${what} failed (${reply.status}): ${reply.error?.message || "no message"}`);
  }
  return reply.data as T;
}

/** A query's path below the base URL, its input in the envelope as the dashboard's client sends it. */
export function queryPath(procedure: string, input?: unknown): string {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return `/api/trpc/${procedure}${query}`;
}

export async function trpcGet<T>(
  baseUrl: string,
  procedure: string,
  input?: unknown,
  headers: Record<string, string> = {},
): Promise<TrpcReply<T>> {
  const response = await fetch(`${baseUrl}${queryPath(procedure, input)}`, { headers });
  return parseReply<T>(response.status, await response.text());
}

/** A mutation; `rawBody` sends exactly that text instead of the superjson envelope (for malformed requests). */
export async function trpcPost<T>(
  baseUrl: string,
  procedure: string,
  input: unknown,
  { headers = {}, rawBody }: { headers?: Record<string, string>; rawBody?: string } = {},
): Promise<TrpcReply<T>> {
  const response = await fetch(`${baseUrl}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl, ...headers },
    body: rawBody ?? JSON.stringify({ json: input }),
  });
  return parseReply<T>(response.status, await response.text());
}

export interface HostRow {
  id: number;
  name: string;
  url: string;
}

/** The data directory's default host, "local", among `host.list`'s answer. */
export function findLocalHost(hosts: HostRow[]): HostRow {
  const local = hosts.find((host) => host.name === "local");
  if (!local) throw new Error(`no host "local" among ${hosts.map((host) => host.name).join(", ")}`);
  return local;
}

/** `run.start`'s input. */
export interface RunStart {
  hostId: number;
  modelKeys?: string[];
  all?: boolean;
  options?: Record<string, unknown>;
}
