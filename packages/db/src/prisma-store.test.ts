import { type DownloadedModel, runOptionsSchema } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PrismaStore } from "./prisma-store";
import { openTempDatabase } from "./testing/temp-database";

function downloaded(modelKey: string, overrides: Partial<DownloadedModel> = {}): DownloadedModel {
  return {
    modelKey,
    displayName: modelKey,
    type: "llm",
    format: "gguf",
    publisher: "lmstudio-community",
    path: `lmstudio-community/${modelKey}.gguf`,
    sizeBytes: 4_000_000_000,
    architecture: "llama",
    quantization: "Q4_K_M",
    params: "8B",
    declaredContext: 131_072,
    vision: false,
    toolUse: true,
    ...overrides,
  };
}

let db: Awaited<ReturnType<typeof openTempDatabase>>;
let store: PrismaStore;
beforeEach(async () => {
  db = await openTempDatabase();
  store = new PrismaStore(db.prisma);
});
afterEach(() => db.dispose());

describe("PrismaStore", () => {
  it("syncs models: added, changed, gone (kept and marked absent), unchanged", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    const first = await store.syncModels(host.id, [downloaded("a"), downloaded("b")], new Date());
    expect(first).toEqual({ added: ["a", "b"], changed: [], gone: [], unchanged: 0 });
    const second = await store.syncModels(
      host.id,
      [downloaded("a", { declaredContext: 32_768 }), downloaded("c")],
      new Date(),
    );
    expect(second).toEqual({ added: ["c"], changed: ["a"], gone: ["b"], unchanged: 0 });
    const gone = await store.getModel(host.id, "b");
    expect(gone?.isPresent).toBe(false);
    expect(
      (await store.syncModels(host.id, [downloaded("a", { declaredContext: 32_768 })], new Date())).unchanged,
    ).toBe(1);
  });

  it("marks the probed size as last known bad before the load, in the same write as the probe", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    await store.syncModels(host.id, [downloaded("a")], new Date());
    const model = (await store.getModel(host.id, "a"))!;
    const run = await store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    const probe = await store.startProbe({
      runId: run.id,
      modelId: model.id,
      contextRequested: 8_192,
      kind: "loadable",
    });
    expect(probe.outcome).toBeNull();
    const marked = await store.getModel(host.id, "a");
    expect(marked).toMatchObject({ lastBadContext: 8_192, testStatus: "testing" });
  });

  it("returns a run's events after an id, in order", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    const run = await store.createRun({
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    const events = [];
    for (let index = 0; index < 5; index += 1) events.push(await store.appendEvent(run.id, "log", { index }));
    const after = await store.listEventsAfter(run.id, events[1]!.id, 2);
    expect(after.map((event) => event.payload)).toEqual([{ index: 2 }, { index: 3 }]);
  });

  it("gives a host's lease to one holder until it goes stale", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    expect(await store.acquireHostLease(host.id, "web", null, 60_000)).toBe(true);
    expect(await store.acquireHostLease(host.id, "cli", null, 60_000)).toBe(false);
    expect(await store.acquireHostLease(host.id, "web", 7, 60_000)).toBe(true);
    expect(await store.renewHostLease(host.id, "cli")).toBe(false);
    // A holder that stopped renewing for longer than staleAfterMs loses the lease.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await store.acquireHostLease(host.id, "cli", null, 10)).toBe(true);
    expect(await store.renewHostLease(host.id, "web")).toBe(false);
    await store.releaseHostLease(host.id, "cli");
    expect(await store.acquireHostLease(host.id, "web", null, 60_000)).toBe(true);
  });

  it("removes a host with its models, runs and events", async () => {
    const host = await store.ensureHost("gpu-box", "ws://10.0.0.2:1234");
    const other = await store.ensureHost("local", "ws://127.0.0.1:1234");
    await store.syncModels(host.id, [downloaded("a")], new Date());
    await store.syncModels(other.id, [downloaded("a")], new Date());
    const run = await store.createRun({
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    await store.appendEvent(run.id, "log", {});
    expect(await store.removeHost(host.id)).toBe(true);
    expect(await store.removeHost(host.id)).toBe(false);
    expect((await store.listHosts()).map((h) => h.name)).toEqual(["local"]);
    expect(await store.getRun(run.id)).toBeNull();
    expect(await store.listModels({})).toHaveLength(1);
  });
});
