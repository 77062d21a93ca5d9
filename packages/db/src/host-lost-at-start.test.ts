import { type CallOptions, RuntimeError } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "./testing/engine-harness";

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
});
