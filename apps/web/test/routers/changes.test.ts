import { type Emulator, startEmulator } from "@lmstrix/lmstudio-emulator";
import { GiB } from "@lmstrix/lmstudio-emulator/testing";
import { afterAll, describe, expect, it } from "vitest";
import { ROUTER_FLEET, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness({ ...ROUTER_FLEET, lmStudioVersion: "0.3.20" });
let upgraded: Emulator | undefined;
afterAll(() => upgraded?.close());

const count = (value: number) => value.toLocaleString("en-US");

describe("changes router: stale results, re-test stale, the changes it finds", () => {
  it("marks results measured under the old LM Studio stale, re-tests them in one run, lists the regression", async () => {
    const api = harness.caller();
    const hostId = harness.localHostId;
    await api.host.scan({ id: hostId });
    const { id: firstRun } = await api.run.start({
      hostId,
      modelKeys: ["large"],
      options: { cooldownMs: 0 },
    });
    await waitUntil(
      "the first run",
      async () => (await api.run.get({ id: firstRun })).status === "completed",
    );
    const before = (await api.model.list()).find((row) => row.modelKey === "large")!;
    expect(before.stale).toEqual([]);
    expect(await api.changes.retestStale()).toEqual({
      runs: [],
      message:
        "Nothing is stale: every result was measured under the host's current LM Studio version and model file.",
    });

    // The host upgraded to 0.4.21, on a machine with less memory for the model.
    upgraded = await startEmulator({
      port: 0,
      fleet: { ...ROUTER_FLEET, memoryBytes: 4 * GiB, lmStudioVersion: "0.4.21" },
      timeScale: 0.001,
      seed: 5,
    });
    await api.host.update({ id: hostId, url: upgraded.url });
    await api.host.scan({ id: hostId });
    const rows = await api.model.list();
    expect(rows.find((row) => row.modelKey === "large")?.stale).toEqual(["LM Studio 0.3.20 → 0.4.21"]);
    expect(rows.find((row) => row.modelKey === "small")?.stale).toEqual([]);

    const { runs } = await api.changes.retestStale({ cooldownMs: 0 });
    expect(runs).toEqual([{ hostId, hostName: "local", runId: expect.any(Number), modelKeys: ["large"] }]);
    const retest = runs[0]!.runId;
    await waitUntil(
      "the re-test",
      async () => (await api.run.get({ id: retest })).status === "completed",
      60_000,
    );

    const after = (await api.model.list()).find((row) => row.modelKey === "large")!;
    expect(after.stale).toEqual([]);
    expect(after.loadableLimit!).toBeLessThan(before.loadableLimit!);
    const changes = await api.changes.list();
    expect(changes).toEqual([
      expect.objectContaining({
        hostName: "local",
        modelKey: "large",
        runId: retest,
        kind: "loadable",
        from: before.loadableLimit,
        to: after.loadableLimit,
        direction: "regression",
        description: `${count(before.loadableLimit!)} → ${count(after.loadableLimit!)} after LM Studio 0.3.20 → 0.4.21`,
      }),
    ]);
    expect(await api.changes.list({ direction: "improvement" })).toEqual([]);
    expect(await api.changes.list({ hostId: hostId + 100 })).toEqual([]);
  }, 120_000);
});
