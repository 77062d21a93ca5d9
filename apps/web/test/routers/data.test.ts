import { readFixture } from "@lmstrix/db/testing";
import { describe, expect, it } from "vitest";
import { refusal, routerHarness, waitUntil } from "../support/router-caller";

const harness = routerHarness();

describe("data router", () => {
  it("takes a snapshot, lists it, and restores it in place", async () => {
    const api = harness.caller();
    const taken = await api.data.createSnapshot();
    expect(taken.name).toMatch(/manual\.db$/);
    expect((await api.data.snapshots()).map((snapshot) => snapshot.name)).toContain(taken.name);

    await api.host.create({ name: "after-snapshot", url: "ws://127.0.0.1:1" });
    const restored = await api.data.restoreSnapshot({ name: taken.name });
    expect(restored.restored).toBe(taken.name);
    expect(restored.beforeRestore).toMatch(/before-restore\.db$/);
    expect((await api.host.list()).map((host) => host.name)).toEqual(["local"]);
  });

  it("refuses a snapshot that does not exist, and a restore while a run is running", async () => {
    const api = harness.caller();
    const missing = await refusal(api.data.restoreSnapshot({ name: "lmstrix-nothing.db" }));
    expect(missing.code).toBe("NOT_FOUND");
    expect(missing.message).toMatch(/^Could not restore the snapshot: /);

    const taken = await api.data.createSnapshot();
    await api.host.scan({ id: harness.localHostId });
    const { id: runId } = await api.run.start({
      hostId: harness.localHostId,
      modelKeys: ["large"],
      options: { strategy: "lmstrix", reset: true, cooldownMs: 0 },
    });
    await waitUntil("the run to start", async () => (await api.run.get({ id: runId })).status === "running");
    const refused = await refusal(api.data.restoreSnapshot({ name: taken.name }));
    expect(refused.code).toBe("CONFLICT");
    await api.run.cancel({ id: runId });
    await waitUntil("the run to end", async () => (await api.run.get({ id: runId })).status === "cancelled");
  });

  it("imports an lmstrix.json: a dry run says what would change and writes nothing", async () => {
    const api = harness.caller();
    const text = readFixture("lmstrix-fleet.json");
    const dry = await api.data.importRegistry({ hostId: harness.localHostId, text, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.created.length).toBeGreaterThan(0);
    const before = await api.model.list({ hostId: harness.localHostId });

    const real = await api.data.importRegistry({
      hostId: harness.localHostId,
      text,
      fileName: "lmstrix.json",
    });
    expect(real.created).toEqual(dry.created);
    const after = await api.model.list({ hostId: harness.localHostId });
    expect(after.length).toBe(before.length + dry.created.length);
  });

  it("refuses a file that is not a registry, saying why", async () => {
    const refused = await refusal(
      harness.caller().data.importRegistry({ hostId: harness.localHostId, text: "{ not json" }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toMatch(/^Could not import the file: /);
  });
});
