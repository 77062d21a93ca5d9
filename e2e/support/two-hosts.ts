import { rmSync } from "node:fs";
import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { GiB, llm } from "@lmstrix/lmstudio-emulator/testing";
import { type APIRequestContext, request } from "@playwright/test";
import { freePort, startWebServer, tempDir, type WebServer } from "./stack";
import { findLocalHost, type HostRow, ok, parseReply, queryPath } from "./trpc";

/**
 * A dashboard of a spec's own (its settings: a test clock, a webhook URL) over two emulators as two hosts:
 * "local" (the server's LMSTUDIO_URL) and "gpu-b". Each has two small models, scanned.
 */
export interface TwoHostStack {
  web: WebServer;
  api: APIRequestContext;
  hostA: HostRow;
  hostB: HostRow;
  emulators: [Emulator, Emulator];
  query<T>(path: string, input?: unknown): Promise<T>;
  mutate<T>(path: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

const fleet = (prefix: string) => ({
  memoryBytes: 8 * GiB,
  models: [
    llm(`${prefix}-small`, { maxContextLength: 8_192 }),
    llm(`${prefix}-mid`, { maxContextLength: 16_384 }),
  ],
});

export async function startTwoHostStack(options: {
  /** The server's settings; given its port, chosen once both emulators hold theirs (so none can take it). */
  env?: (port: number) => Record<string, string>;
}): Promise<TwoHostStack> {
  const emulators: [Emulator, Emulator] = [
    await startEmulator({ fleet: fleet("a"), timeScale: 0.01, seed: 3 }),
    await startEmulator({ fleet: fleet("b"), timeScale: 0.01, seed: 4 }),
  ];
  const dataDir = tempDir("two-hosts");
  const port = await freePort();
  const web = await startWebServer({
    dataDir,
    lmStudioUrl: emulators[0].url,
    port,
    env: options.env?.(port),
  });
  // A fresh connection per request: a spec restarts the server, and a kept-alive socket to the old one hangs up.
  const api = await request.newContext({ baseURL: web.baseUrl, extraHTTPHeaders: { connection: "close" } });
  const query = async <T>(path: string, input?: unknown) => {
    const response = await api.get(queryPath(path, input));
    return ok(parseReply<T>(response.status(), await response.text()), path);
  };
  const mutate = async <T>(path: string, input: unknown) => {
    const response = await api.post(`/api/trpc/${path}`, { data: { json: input } });
    return ok(parseReply<T>(response.status(), await response.text()), path);
  };
  const hostA = findLocalHost(await query<HostRow[]>("host.list"));
  const hostB = await mutate<HostRow>("host.create", { name: "gpu-b", url: emulators[1].url });
  await mutate("host.scan", { id: hostA.id });
  await mutate("host.scan", { id: hostB.id });
  return {
    web,
    api,
    hostA,
    hostB,
    emulators,
    query,
    mutate,
    async close() {
      await api.dispose();
      await web.stop();
      await Promise.all(emulators.map((emulator) => emulator.close()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
