import { describe, expect, it } from "vitest";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

describe("model router", () => {
  it("lists every model of a host; a model's page has its probes and the runs that made them", async () => {
    const api = harness.caller();
    await api.host.scan({ id: harness.localHostId });
    const other = await api.host.create({ name: "empty", url: "ws://127.0.0.1:1" });
    const rows = await api.model.list();
    expect(rows.map((row) => row.modelKey).sort()).toEqual(["embedder", "large", "small"]);
    expect(await api.model.list({ hostId: other.id })).toEqual([]);

    const small = rows.find((row) => row.modelKey === "small");
    expect(small?.testStatus).toBe("untested");
    const { id: runId } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["small"],
      options: { cooldownMs: 0 },
    });
    await waitUntil("the run to end", async () => (await api.run.get({ id: runId })).status === "completed");

    const page = await api.model.get({ id: small!.id });
    expect(page.model).toMatchObject({ modelKey: "small", testStatus: "completed", declaredContext: 8_192 });
    expect(page.model.loadableLimit).toBe(8_192);
    expect(typeof page.model.sizeBytes).toBe("number");
    expect(page.probeTotal).toBe(page.probes.length);
    expect(page.probes.length).toBeGreaterThan(0);
    expect(page.probes.every((probe) => probe.runId === runId)).toBe(true);
    expect(page.runs.map((run) => run.id)).toEqual([runId]);
    const times = page.probes.map((probe) => probe.startedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const listed = (await api.model.list({ hostId: harness.localHostId })).find(
      (row) => row.id === small!.id,
    );
    expect(listed).toMatchObject({ testStatus: "completed", loadableLimit: 8_192 });
  });

  it("names the model it does not know", async () => {
    const missing = await refusal(harness.caller().model.get({ id: 9_999 }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toBe("No model with id 9999");
  });
});
