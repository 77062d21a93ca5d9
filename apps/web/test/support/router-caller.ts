import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, openDatabase, PrismaStore } from "@lmstrix/db";
import { type Emulator, type FleetInput, startEmulator } from "@lmstrix/lmstudio-emulator";
import { embedding, GiB, llm } from "@lmstrix/lmstudio-emulator/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect } from "vitest";
import { parseEnv } from "~/env";
import { createContextInner } from "~/server/context";
import { createCaller } from "~/server/root";
import { assembleServices, type Services } from "~/server/services";

/** Two small LLMs (one whose declared context loads, one that is searched) and an embedding model. */
export const ROUTER_FLEET: FleetInput = {
  memoryBytes: 8 * GiB,
  models: [
    llm("small", { maxContextLength: 8_192 }),
    llm("large", { maxContextLength: 131_072 }),
    embedding("embedder"),
  ],
};

export interface RouterHarness {
  /** The API as the dashboard calls it, signed in as `userName` ("tester" unless given). */
  caller(userName?: string): ReturnType<typeof createCaller>;
  readonly services: Services;
  readonly emulator: Emulator;
  readonly dataDir: string;
  /** The host the server creates for LMSTUDIO_URL, pointed at the emulator. */
  readonly localHostId: number;
}

/**
 * For the tests of the enclosing file: the server's own services (database, store, LM Studio connections, run
 * worker) on a temporary data directory, against an emulator over real WebSockets, as the HTTP handler builds
 * them; only the request's context is made here instead of from headers.
 */
export function routerHarness(
  fleet: FleetInput = ROUTER_FLEET,
  settings: Record<string, string> = {},
): RouterHarness {
  let state: { services: Services; emulator: Emulator; dataDir: string; localHostId: number } | undefined;
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "lmstrix-web-routers-"));
    const emulator = await startEmulator({ port: 0, fleet, timeScale: 0.001, seed: 5 });
    const config = parseEnv({
      NODE_ENV: "test",
      LMSTUDIO_URL: emulator.url,
      LMSTRIX_QUEUE_POLL_MS: "50",
      LMSTRIX_HEARTBEAT_MS: "50",
      LMSTRIX_TIMEOUT_PAUSE_MS: "0",
      ...settings,
    });
    const db: Database = await openDatabase({ dataDir });
    const store = new PrismaStore(db.prisma);
    const localHostId = (await store.ensureHost("local", emulator.url)).id;
    const services = assembleServices(db, store, config);
    services.worker.start();
    state = { services, emulator, dataDir, localHostId };
  });
  afterAll(async () => {
    if (!state) return;
    await state.services.worker.stop();
    await state.services.runtimes.closeAll();
    await state.services.db.close();
    await state.emulator.close();
    rmSync(state.dataDir, { recursive: true, force: true });
  });
  const started = () => {
    if (!state) throw new Error("the router harness exists only while the file's tests run");
    return state;
  };
  return {
    caller(userName = "tester") {
      const { services } = started();
      return createCaller(
        createContextInner({ db: async () => services.db, services: async () => services, userName }),
      );
    },
    get services() {
      return started().services;
    },
    get emulator() {
      return started().emulator;
    },
    get dataDir() {
      return started().dataDir;
    },
    get localHostId() {
      return started().localHostId;
    },
  };
}

/** Waits until `check` holds, polling; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The API error a call was refused with (the test fails when it succeeds or fails otherwise). */
export async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, "the call was refused").toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
