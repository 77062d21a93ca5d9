import type { LMStudioClient } from "@lmstudio/sdk";

/** The client's per-namespace ports; each owns one WebSocket, opened lazily (LMSTUDIO-PROTOCOL.md). */
const PORT_FIELDS = [
  "llmPort",
  "embeddingPort",
  "systemPort",
  "diagnosticsPort",
  "filesPort",
  "repositoryPort",
  "pluginsPort",
] as const;

const DISPOSE_GRACE_MS = 2_000;

/**
 * Closes a client for good, even when the SDK still waits for replies that will never come.
 *
 * `client[Symbol.asyncDispose]()` alone is not enough: it waits until every pending call has settled,
 * and a call whose reply the SDK dropped never settles, so the dispose hangs and the socket (kept
 * referenced while calls are pending) keeps the process alive. The SDK offers no public way to drop a
 * socket, so after starting the dispose this terminates each port's WebSocket through the SDK's
 * internal fields (`<namespace>Port.transport.ws`); the transport then rejects what is pending and the
 * dispose completes. If those internals ever change, the lookups find nothing and only the dispose runs.
 */
export async function closeClient(client: LMStudioClient): Promise<void> {
  // Dispose first: it marks each transport as disposed, so nothing can reconnect after we cut the sockets.
  const disposal = client[Symbol.asyncDispose]().catch(() => undefined);
  for (const field of PORT_FIELDS) terminateSocket(readPath(client, [field, "transport", "ws"]));
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, DISPOSE_GRACE_MS);
    timer.unref();
  });
  await Promise.race([disposal, grace]);
  clearTimeout(timer);
}

function readPath(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function terminateSocket(ws: unknown): void {
  if (typeof ws !== "object" || ws === null) return;
  const socket = ws as { terminate?: unknown; close?: unknown };
  try {
    if (typeof socket.terminate === "function") socket.terminate();
    else if (typeof socket.close === "function") socket.close();
  } catch {
    // Already closed or never opened: nothing to cut.
  }
}
