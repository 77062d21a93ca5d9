import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTER_FLEET, refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();
let otherLab: Emulator;

beforeAll(async () => {
  otherLab = await startEmulator({ port: 0, fleet: ROUTER_FLEET, timeScale: 0.001, seed: 9 });
});
afterAll(async () => {
  await otherLab?.close();
});

/** Each run's effective limit of a model: [run id, limit]. */
const effectiveLimitsOf = (model: {
  effectiveRuns: readonly { runId: number; effectiveLimit: number | null }[];
}) => model.effectiveRuns.map((run) => [run.runId, run.effectiveLimit]);

describe("model.compare", () => {
  it("sets models of two hosts side by side, in the order asked, with their limits and probes", async () => {
    const api = harness.caller();
    const other = await api.host.create({ name: "other-lab", url: otherLab.url });
    await api.host.scan({ id: harness.localHostId });
    await api.host.scan({ id: other.id });
    const runs = [
      await api.run.start({
        hostId: harness.localHostId,
        modelKeys: ["small"],
        options: { cooldownMs: 0, effective: true },
      }),
      await api.run.start({ hostId: other.id, modelKeys: ["large"], options: { cooldownMs: 0 } }),
    ];
    for (const { id } of runs) {
      await waitUntil(`run #${id} to end`, async () => (await api.run.get({ id })).status === "completed");
    }
    const rows = await api.model.list();
    const small = rows.find((row) => row.modelKey === "small" && row.host.id === harness.localHostId)!;
    const large = rows.find((row) => row.modelKey === "large" && row.host.id === other.id)!;

    const compared = await api.model.compare({ ids: [large.id, small.id] });
    expect(compared.map((model) => [model.id, model.host.name])).toEqual([
      [large.id, "other-lab"],
      [small.id, "local"],
    ]);
    for (const model of compared) {
      // The same limits and probes as each model's own page shows.
      const page = await api.model.get({ id: model.id });
      expect(model).toMatchObject({
        modelKey: page.model.modelKey,
        declaredContext: page.model.declaredContext,
        loadableLimit: page.model.loadableLimit,
        effectiveLimit: page.model.effectiveLimit,
        testStatus: "completed",
        probeTotal: page.probeTotal,
      });
      expect(model.loadableLimit).toBeGreaterThan(0);
      expect(model.probes.map((probe) => probe.id)).toEqual(page.probes.map((probe) => probe.id));
      expect(model.probes.every((probe) => probe.modelId === model.id)).toBe(true);
      // Each run's effective limit, for the history chart, as the Model page lists them.
      expect(effectiveLimitsOf(model)).toEqual(effectiveLimitsOf(page));
    }
    expect(compared[0]!.effectiveRuns).toEqual([]);
    expect(effectiveLimitsOf(compared[1]!)).toEqual([[runs[0]!.id, compared[1]!.effectiveLimit]]);
    expect(compared[1]!.effectiveLimit).toBeGreaterThan(0);
  });

  it("takes 2 to 4 distinct ids, and names the ids no model has", async () => {
    const api = harness.caller();
    const [first, second] = await api.model.list();
    for (const ids of [[first!.id], [1, 2, 3, 4, 5], [first!.id, first!.id], [first!.id, -1]]) {
      expect((await refusal(api.model.compare({ ids }))).code).toBe("BAD_REQUEST");
    }
    const missing = await refusal(api.model.compare({ ids: [first!.id, 9_999] }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe("No model with id 9999");
    const both = await refusal(api.model.compare({ ids: [9_998, second!.id, 9_999] }));
    expect(both.message).toBe("No models with ids 9998, 9999");
  });
});
