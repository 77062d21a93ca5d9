import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { defaultFleet } from "./fleet/default-fleet.js";
import { readFleetFile } from "./fleet/read-fleet-file.js";
import { type Fleet, type FleetInput, parseFleet } from "./fleet/schema.js";
import { embeddingEndpoints } from "./handlers/embedding-endpoints.js";
import { llmEndpoints } from "./handlers/llm-endpoints.js";
import { EMPTY_NAMESPACE, systemEndpoints } from "./handlers/system-endpoints.js";
import { parseLmStudioVersion } from "./lmstudio-version.js";
import { type LoggerOption, toLogger } from "./logger.js";
import { writeModelFiles } from "./model-files.js";
import { type EmulatorCounters, type LoadedInstanceSnapshot, ModelHost } from "./model-host.js";
import type { NamespaceEndpoints, RequestContext } from "./protocol/endpoints.js";
import { ServerPort } from "./protocol/port.js";
import { authPacketSchema } from "./protocol/schemas.js";

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** The simulated machine; validated like a fleet file. Default: the built-in realistic fleet. */
  fleet?: FleetInput | Fleet;
  /** Path of a JSON fleet file (used when `fleet` is not given). */
  fleetFile?: string;
  /** Multiplies every simulated duration (1 = real time, 0 = as fast as possible). Default 1. */
  timeScale?: number;
  /** Seed of the PRNG behind every random choice. Default 1. */
  seed?: number;
  /** Where the emulator logs (console-like). Default: silent. */
  logger?: LoggerOption;
  /** What the `version` endpoint reports, `"0.4.23"` or `"0.4.23+2"`. Default: the fleet's `lmStudioVersion`. */
  lmStudioVersion?: string;
  /**
   * LM Studio's home folder: a load that names no context length uses the model's saved default from
   * `<home>/.internal/user-concrete-model-default-config/<model path>.json`, as LM Studio does. Default: none.
   */
  lmstudioHome?: string;
}

/** Live state for tests: loaded instances, memory and counters. */
export interface EmulatorState {
  readonly loaded: LoadedInstanceSnapshot[];
  readonly counters: Readonly<EmulatorCounters>;
  /** Bytes held by loaded instances. */
  readonly loadedBytes: number;
  readonly memoryBytes: number;
  /** Zeroes the counters (live concurrency values are kept). */
  resetCounters(): void;
}

export interface Emulator {
  /** `ws://host:port`, the SDK's `baseUrl`. */
  readonly url: string;
  /** `http://host:port` (serves GET /lmstudio-greeting). */
  readonly httpUrl: string;
  readonly port: number;
  readonly host: string;
  readonly fleet: Fleet;
  readonly state: EmulatorState;
  resetCounters(): void;
  /** Unloads everything at once (test cleanup; not an LM Studio operation). */
  unloadAll(): void;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/** WebSocket path per SDK namespace (`${baseUrl}/${namespace}`). */
export const NAMESPACES = [
  "llm",
  "embedding",
  "system",
  "diagnostics",
  "files",
  "repository",
  "plugins",
  "runtime",
] as const;

/** LM Studio's authentication timeout. */
const AUTHENTICATION_TIMEOUT_MS = 10_000;

interface ClientRecord {
  readonly passkey: string;
  readonly ports: Set<ServerPort>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const logger = toLogger(options.logger);
  const fleet =
    options.fleet !== undefined
      ? parseFleet(options.fleet)
      : options.fleetFile !== undefined
        ? await readFleetFile(options.fleetFile)
        : defaultFleet;
  if (options.lmstudioHome !== undefined) await writeModelFiles(options.lmstudioHome, fleet.models);
  const host = new ModelHost({
    fleet,
    timeScale: options.timeScale ?? 1,
    seed: options.seed ?? 1,
    logger,
    lmStudioVersion: parseLmStudioVersion(options.lmStudioVersion ?? fleet.lmStudioVersion),
    lmstudioHome: options.lmstudioHome ?? null,
  });
  const namespaces: Record<string, NamespaceEndpoints> = {
    llm: llmEndpoints(host),
    embedding: embeddingEndpoints(host),
    system: systemEndpoints(host),
  };
  for (const name of NAMESPACES) namespaces[name] ??= EMPTY_NAMESPACE;

  const clients = new Map<string, ClientRecord>();
  const dropClient = (clientIdentifier: string) => {
    logger.info(`dropping client ${clientIdentifier}`);
    for (const port of clients.get(clientIdentifier)?.ports ?? []) port.disconnect();
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 512 * 1024 * 1024 });

  /**
   * LM Studio's handshake: the first frame is `{authVersion: 1, clientIdentifier, clientPasskey}`,
   * answered by `{success: true}`. The first socket of an identifier fixes its passkey
   * (first-come-first-served) until all of that client's sockets are closed.
   */
  const authenticate = (ws: WebSocket, namespace: string) => {
    const fail = (error: string) => {
      logger.warn(`[${namespace}] authentication failed: ${error}`);
      ws.send(JSON.stringify({ success: false, error }));
      ws.close();
    };
    const timeout = setTimeout(() => fail("Authentication timed out"), AUTHENTICATION_TIMEOUT_MS);
    ws.once("close", () => clearTimeout(timeout));
    ws.once("message", (data) => {
      clearTimeout(timeout);
      let packet: unknown;
      try {
        packet = JSON.parse(String(data));
      } catch {
        fail("Received invalid JSON message from client while authenticating");
        return;
      }
      const auth = authPacketSchema.safeParse(packet);
      if (!auth.success) {
        fail(
          "Received invalid message from client while authenticating: expected {authVersion: 1, clientIdentifier, clientPasskey}",
        );
        return;
      }
      const { clientIdentifier, clientPasskey } = auth.data;
      let record = clients.get(clientIdentifier);
      if (record !== undefined && record.passkey !== clientPasskey) {
        fail(`Failed to validate client: Invalid client passkey for client "${clientIdentifier}"`);
        return;
      }
      if (record === undefined) {
        record = { passkey: clientPasskey, ports: new Set() };
        clients.set(clientIdentifier, record);
      }
      const context: RequestContext = {
        clientIdentifier,
        namespace,
        logger,
        dropClient: () => dropClient(clientIdentifier),
      };
      const port = new ServerPort(ws, namespaces[namespace] ?? EMPTY_NAMESPACE, context, logger);
      const clientRecord = record;
      clientRecord.ports.add(port);
      ws.once("close", () => {
        clientRecord.ports.delete(port);
        if (clientRecord.ports.size === 0 && clients.get(clientIdentifier) === clientRecord) {
          clients.delete(clientIdentifier);
        }
      });
      ws.send(JSON.stringify({ success: true }));
      logger.debug(`[${namespace}] client ${clientIdentifier} authenticated`);
    });
  };

  const server = createServer((request, response) => handleHttp(request, response));
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    const namespace = pathname.slice(1);
    if (!(NAMESPACES as readonly string[]).includes(namespace)) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    socket.on("error", (error) => logger.warn("socket error:", error));
    wss.handleUpgrade(request, socket, head, (ws) => authenticate(ws, namespace));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const bindHost = options.host ?? "127.0.0.1";
  const urlHost = bindHost.includes(":") ? `[${bindHost}]` : bindHost;

  const state: EmulatorState = {
    get loaded() {
      return host.loaded;
    },
    get counters() {
      return host.counters;
    },
    get loadedBytes() {
      return host.loadedBytes;
    },
    memoryBytes: fleet.memoryBytes,
    resetCounters: () => host.resetCounters(),
  };

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${urlHost}:${address.port}`,
    httpUrl: `http://${urlHost}:${address.port}`,
    port: address.port,
    host: bindHost,
    fleet,
    state,
    resetCounters: () => host.resetCounters(),
    unloadAll: () => host.unloadAll(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        host.dispose();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function handleHttp(request: IncomingMessage, response: ServerResponse): void {
  const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
  if (request.method === "GET" && pathname === "/lmstudio-greeting") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ lmstudio: true }));
    return;
  }
  response.writeHead(404, { "content-type": "application/json" });
  response.end(JSON.stringify({ error: `Unexpected endpoint or method. (${request.method} ${pathname})` }));
}
