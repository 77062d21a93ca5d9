import { SimulatedRuntime } from "@lmstrix/core/testing";
import { describe, expect, it } from "vitest";
import { executeOnStore, GiB, SMALL_MODEL, startRun, useTempStore } from "../test/support/engine-harness";

/**
 * The "may crash the machine" warning in a real search over the real store: a model that LM Studio's guardrail
 * refuses above its limit is bisected without a warning; one whose loads fail after loading keeps them.
 */
describe("warnings near the last bad size (engine, SimulatedRuntime, real store)", () => {
  const temp = useTempStore();
  // 65,536 tokens declared; 5 GiB fits the 1 GiB weights, the overhead and about 61,000 tokens of KV cache.
  const model = { ...SMALL_MODEL, declaredContext: 65_536 };

  async function warningsOfRun(runtime: SimulatedRuntime) {
    const { run } = await startRun(temp.store, {
      modelKeys: [model.modelKey],
      strategy: "lmstrix",
      threshold: 65_536,
    });
    const { result, events } = await executeOnStore(temp.store, runtime, run.id);
    expect(result.status).toBe("completed");
    const probes = await temp.store.listRunProbes(run.id);
    const nearBad = events.filter(
      (event) => event.type === "warning" && /last known bad size/.test(String(event.payload.message)),
    );
    return { probes, nearBad };
  }

  it("bisects below a size the guardrail refused without a single crash warning", async () => {
    const { probes, nearBad } = await warningsOfRun(
      new SimulatedRuntime({ models: [model], memoryBytes: 5 * GiB }),
    );
    const refused = probes.filter((probe) => probe.errorCategory === "INSUFFICIENT_RESOURCES");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((probe) => probe.contextApplied === null)).toBe(true);
    // Steps at 80% and more of a refused size were made, and none of them warned.
    const steps = probes.filter((probe) =>
      refused.some((bad) => probe.contextRequested >= bad.contextRequested * 0.8 && probe.id > bad.id),
    );
    expect(steps.length).toBeGreaterThan(0);
    expect(nearBad).toEqual([]);
  });

  it("still warns near a size whose load failed", async () => {
    const failing = { ...model, loadFailsAbove: 40_000 };
    const { nearBad } = await warningsOfRun(
      new SimulatedRuntime({ models: [failing], memoryBytes: 64 * GiB }),
    );
    expect(nearBad.length).toBeGreaterThan(0);
    expect(nearBad.some((event) => event.payload.level === "high")).toBe(true);
    expect(String(nearBad[0]?.payload.message)).toMatch(/^[\d,]+ is \d+% of the last known bad size [\d,]+/);
  });
});
