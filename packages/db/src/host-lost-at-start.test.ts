import { type CallOptions, RuntimeError } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";

/** A host whose connection drops during the first `drops` scans and listings of loaded models. */
class DroppingRuntime extends SimulatedRuntime {
  constructor(private drops: number) {
    super({ models: [SMALL_MODEL], memoryBytes: 8 * GiB });
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

/** Two models the user had loaded; the connection drops while the run unloads the second. */
class DropsWhileUnloading extends SimulatedRuntime {
  private hasDropped = false;
  constructor() {
    super({
      models: [SMALL_MODEL, { ...SMALL_MODEL, modelKey: "other", path: "test/other.gguf" }],
      memoryBytes: 8 * GiB,
    });
  }
  override async unload(target: Parameters<SimulatedRuntime["unload"]>[0], options?: CallOptions) {
    if (!this.hasDropped && target === "other") {
      this.hasDropped = true;
      throw new RuntimeError("DISCONNECTED", "WebSocket connection closed");
    }
    return super.unload(target, options);
  }
}

describe("LM Studio lost while a run starts (scan, clearing loaded models)", () => {
  const temp = useTempStore();

  async function execute(runtime: SimulatedRuntime) {
    const { run } = await startRun(temp.store, { modelKeys: ["small"] });
    return executeOnStore(temp.store, runtime, run.id);
  }

  it("waits for the host and goes on, as during a probe", async () => {
    const { result } = await execute(new DroppingRuntime(2));
    expect(result).toEqual({ status: "completed", message: null });
    expect(await temp.store.getModel(1, "small")).toMatchObject({
      testStatus: "completed",
      loadableLimit: 8_192,
    });
  });

  it("fails the run with a message a person understands when the host keeps dropping", async () => {
    const { result } = await execute(new DroppingRuntime(Number.POSITIVE_INFINITY));
    expect(result.status).toBe("failed");
    expect(result.message).toBe(
      "LM Studio at sim://host keeps dropping the connection (WebSocket connection closed)",
    );
  });

  it("a drop while unloading the user's models: the step runs again, announcing each model once", async () => {
    const runtime = new DropsWhileUnloading();
    await runtime.load("small", { contextLength: 4_096 });
    await runtime.load("other", { contextLength: 4_096 });
    const { result, events } = await execute(runtime);
    expect(result.status).toBe("completed");
    const unloading = events
      .map((event) => String(event.payload.message ?? ""))
      .filter((message) => message.startsWith("Unloading models loaded before the run"));
    expect(unloading).toEqual([
      "Unloading models loaded before the run: small (4,096 tokens), other (4,096 tokens)",
    ]);
    expect(await runtime.listLoaded()).toEqual([]);
  });
});
