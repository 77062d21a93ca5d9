import { type CallOptions, type LoadOptions, type ModelHandle, RuntimeError } from "@lmstrix/core";
import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";

const dropped = () => new RuntimeError("DISCONNECTED", "WebSocket connection closed");

/**
 * A host whose connection drops as the first load finishes (the instance stays loaded, as with LM Studio's
 * socket closing after its `success`), and drops again on the calls that clean up after it: the first listing
 * of loaded models and the first unload once it is back.
 */
class FlakyAfterReconnect extends SimulatedRuntime {
  readonly calls: string[] = [];
  private readonly drops = new Set(["load", "listLoaded", "unload"]);

  constructor() {
    super({ models: [SMALL_MODEL], memoryBytes: 8 * GiB });
  }
  private dropOnce(call: string) {
    this.calls.push(call);
    if (!this.drops.delete(call)) return;
    throw dropped();
  }
  override async load(modelKey: string, options: LoadOptions): Promise<ModelHandle> {
    const handle = await super.load(modelKey, options);
    this.dropOnce("load");
    return handle;
  }
  override async listLoaded(options?: CallOptions) {
    // The look at what is loaded before the run starts is left alone: the drops under test come after.
    if (this.calls.includes("load")) this.dropOnce("listLoaded");
    return super.listLoaded(options);
  }
  override async unload(target: ModelHandle | string, options?: CallOptions) {
    this.dropOnce("unload");
    return super.unload(target, options);
  }
}

describe("LM Studio dropping again while a run cleans up after a lost probe", () => {
  const temp = useTempStore();

  it("waits for the host again, unloads what the lost probe left and runs that probe again", async () => {
    const { store } = temp;
    const { host, run } = await startRun(store, { modelKeys: ["small"] });
    const runtime = new FlakyAfterReconnect();

    const { result, events } = await executeOnStore(store, runtime, run.id, { reconnectTimeoutMs: 60_000 });

    expect(result).toEqual({ status: "completed", message: null });
    // Every drop was met by asking again (listing dropped; listing + unload dropped; listing + unload), and
    // the instance the lost load left behind was unloaded before the probe loaded the model again.
    const afterLostLoad = runtime.calls.slice(runtime.calls.indexOf("load") + 1);
    expect(afterLostLoad.slice(0, 6)).toEqual([
      "listLoaded",
      "listLoaded",
      "unload",
      "listLoaded",
      "unload",
      "load",
    ]);
    expect(await runtime.listLoaded()).toEqual([]);
    expect(await store.getModel(host.id, "small")).toMatchObject({
      testStatus: "completed",
      loadableLimit: 8_192,
      errorCategory: null,
    });
    // The lost probe ran again in its own row; no probe blames the model for the outage.
    const probes = await store.listRunProbes(run.id);
    expect(probes.map((probe) => [probe.contextRequested, probe.outcome, probe.errorCategory])).toEqual([
      [8_192, "pass", null],
    ]);
    const started = events.filter((event) => event.type === "probe.started");
    expect(started.map((event) => event.payload.probeId)).toEqual([probes[0]?.id, probes[0]?.id]);
    expect(events.filter((event) => event.type === "warning").map((event) => event.payload.message)).toEqual([
      "Lost LM Studio: WebSocket connection closed",
    ]);
  });
});
