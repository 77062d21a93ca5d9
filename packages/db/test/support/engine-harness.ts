/** The engine run over the real store against a `SimulatedRuntime`: the set-up the engine-level tests share. */
import {
  DEFAULT_ENGINE_SETTINGS,
  type EngineSettings,
  type EngineTimers,
  executeRun,
  type ModelSkips,
  type RunContext,
  type RunEventPayload,
  type RunEventType,
  runOptionsSchema,
  STOP_REASONS,
} from "@lmstrix/core";
import type { SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import type { PrismaClient } from "@prisma/client";
import { afterEach, beforeEach } from "vitest";
import { PrismaStore } from "../../src/prisma-store";
import { openTempDatabase } from "./temp-database";

export const GiB = 1024 ** 3;

/** Where the simulated host "is"; only ever shown in messages. */
export const HOST_URL = "sim://host";

/** A 1 GB model with an 8,192-token window: every probe of it fits in the hosts the tests build. */
export const SMALL_MODEL: SimulatedModel = {
  modelKey: "small",
  displayName: "Small",
  type: "llm",
  format: "gguf",
  publisher: "test",
  path: "test/small.gguf",
  sizeBytes: GiB,
  architecture: "llama",
  quantization: "Q4_K_M",
  params: "1B",
  declaredContext: 8_192,
  vision: false,
  toolUse: false,
  kvBytesPerToken: 64 * 1024,
};

/** A real store on a fresh temporary SQLite file for every test of the enclosing `describe`. */
export function useTempStore(): {
  readonly store: PrismaStore;
  readonly prisma: PrismaClient;
  readonly database: Awaited<ReturnType<typeof openTempDatabase>>;
} {
  let db: Awaited<ReturnType<typeof openTempDatabase>> | undefined;
  let store: PrismaStore | undefined;
  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
  });
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
    store = undefined;
  });
  return {
    get store() {
      if (!store) throw new Error("the temporary store exists only while a test runs");
      return store;
    },
    /** For reads no store method makes. */
    get prisma() {
      return this.database.prisma;
    },
    get database() {
      if (!db) throw new Error("the temporary store exists only while a test runs");
      return db;
    },
  };
}

/** The host "local" and a single-model run on it (no cool-down unless `options` says so), queued. */
export async function queueRun(store: PrismaStore, options: Record<string, unknown>) {
  const host = await store.ensureHost("local", HOST_URL);
  const run = await store.createRun({
    hostId: host.id,
    mode: "single",
    options: runOptionsSchema.parse({ cooldownMs: 0, ...options }),
    startedBy: "test",
  });
  return { host, run };
}

/** As `queueRun`, with the run marked running as a worker marks it before the engine takes it. */
export async function startRun(store: PrismaStore, options: Record<string, unknown>) {
  const queued = await queueRun(store, options);
  await store.setRunStatus(queued.run.id, "running");
  return queued;
}

export interface ExecuteOptions {
  /** How long the run waits for a host that went away (short: the tests' hosts come back at once or never). */
  reconnectTimeoutMs?: number;
  /** Aborts the run, as a shutdown would, after the event for which it returns true. */
  stopAfter?: (type: RunEventType, payload: RunEventPayload) => boolean;
  /** Over the defaults (e.g. `loadStallMs`). */
  settings?: Partial<EngineSettings>;
  /** The stall watchdog's clock (`ManualTimers` to run it in virtual time). */
  timers?: EngineTimers;
  /** The run's skip requests; `onEvent` may ask for skips through it. */
  skips?: ModelSkips;
  /** Called after each event is stored. */
  onEvent?: (type: RunEventType, payload: RunEventPayload) => void;
}

/** Runs the engine on run `runId` as stored, with `runtime` as the host; every event is stored and returned. */
export async function executeOnStore(
  store: PrismaStore,
  runtime: SimulatedRuntime,
  runId: number,
  { reconnectTimeoutMs = 100, stopAfter, settings, timers, skips, onEvent }: ExecuteOptions = {},
) {
  const controller = new AbortController();
  const events: { type: RunEventType; payload: RunEventPayload }[] = [];
  const ctx: RunContext = {
    runId,
    store,
    runtime,
    signal: controller.signal,
    settings: { ...DEFAULT_ENGINE_SETTINGS, reconnectTimeoutMs, reconnectPauseMs: 1, ...settings },
    emit: async (type, payload) => {
      events.push({ type, payload });
      await store.appendEvent(runId, type, payload);
      if (stopAfter?.(type, payload)) controller.abort(STOP_REASONS.shutdown);
      onEvent?.(type, payload);
    },
    // The reconnection pauses pass at once: what is under test is what the run does, not how long it waits.
    sleep: async () => {},
    ...(timers && { timers }),
    ...(skips && { skips }),
  };
  const run = await store.getRun(runId);
  if (!run) throw new Error(`run ${runId} is not in the store`);
  const result = await executeRun(ctx, run, HOST_URL);
  return { result, events };
}
