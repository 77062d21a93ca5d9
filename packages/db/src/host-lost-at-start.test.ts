import {
  type CallOptions,
  DEFAULT_ENGINE_SETTINGS,
  executeRun,
  type RunContext,
  type RunEventType,
  RuntimeError,
  runOptionsSchema,
} from "@lmstrix/core";
import { type SimulatedModel, SimulatedRuntime } from "@lmstrix/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaStore } from "./prisma-store";
import { openTempDatabase } from "./testing/temp-database";

const GiB = 1024 ** 3;

const MODEL: SimulatedModel = {
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

/** A host whose connection drops during the first `drops` scans and listings of loaded models. */
class DroppingRuntime extends SimulatedRuntime {
  constructor(private drops: number) {
    super({ models: [MODEL], memoryBytes: 8 * GiB });
  }
  private dropOnce() {
    if (this.drops <= 0) return;
    this.drops -= 1;
    throw new RuntimeError("DISCONNECTED", "WebSocket connection closed");
  }
  override async listModels(options?: CallOptions) {
    this.dropOnce();
    return super.listModels(options);
  }
  override async listLoaded(options?: CallOptions) {
    this.dropOnce();
    return super.listLoaded(options);
  }
}

describe("LM Studio lost while a run starts (scan, clearing loaded models)", () => {
  let db: Awaited<ReturnType<typeof openTempDatabase>>;
  let store: PrismaStore;

  beforeEach(async () => {
    db = await openTempDatabase();
    store = new PrismaStore(db.prisma);
  });
  afterEach(async () => {
    await db.dispose();
  });

  async function execute(runtime: SimulatedRuntime) {
    const host = await store.ensureHost("local", "sim://host");
    const options = runOptionsSchema.parse({ modelKeys: ["small"], cooldownMs: 0 });
    const run = await store.createRun({ hostId: host.id, mode: "single", options, startedBy: "test" });
    await store.setRunStatus(run.id, "running");
    const types: RunEventType[] = [];
    const ctx: RunContext = {
      runId: run.id,
      store,
      runtime,
      signal: new AbortController().signal,
      settings: { ...DEFAULT_ENGINE_SETTINGS, reconnectTimeoutMs: 100, reconnectPauseMs: 1 },
      emit: async (type, payload) => {
        types.push(type);
        await store.appendEvent(run.id, type, payload);
      },
      sleep: async () => {},
    };
    return { result: await executeRun(ctx, run, "sim://host"), types };
  }

  it("waits for the host and goes on, as during a probe", async () => {
    const { result } = await execute(new DroppingRuntime(2));
    expect(result).toEqual({ status: "completed", message: null });
    expect(await store.getModel(1, "small")).toMatchObject({ testStatus: "completed", loadableLimit: 8_192 });
  });

  it("fails the run with a message a person understands when the host keeps dropping", async () => {
    const { result } = await execute(new DroppingRuntime(Number.POSITIVE_INFINITY));
    expect(result.status).toBe("failed");
    expect(result.message).toBe(
      "LM Studio at sim://host keeps dropping the connection (WebSocket connection closed)",
    );
  });
});
