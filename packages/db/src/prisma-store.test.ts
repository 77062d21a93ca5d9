import { type DownloadedModel, type ProbeResult, runOptionsSchema } from "@lmstrix/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase } from "../test/support/temp-database";
import type { HistoryExport } from "./history-export";
import { PrismaStore } from "./prisma-store";
import { exportStream } from "./registry-export";

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

/** A finished probe's fields; the test overrides what it is about. */
function result(outcome: ProbeResult["outcome"]): ProbeResult {
  return {
    outcome,
    attempts: 1,
    contextApplied: null,
    errorCategory: null,
    errorMessage: null,
    prompt: null,
    reply: null,
    loadMs: null,
    timeToFirstTokenMs: null,
    promptTokens: null,
    promptTokensPerSec: null,
    genTokensPerSec: null,
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

  it("keeps the memory a refused load needed, and clears it when the probe is run again", async () => {
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
      contextRequested: 9,
      kind: "loadable",
    });
    const refused = await store.finishProbe(probe.id, {
      ...result("fail"),
      errorCategory: "INSUFFICIENT_RESOURCES",
      requiredBytes: 22_945_581_302,
    });
    expect(refused.requiredBytes).toBe(22_945_581_302);
    expect((await store.listRunProbes(run.id))[0]?.requiredBytes).toBe(22_945_581_302);
    expect((await store.finishProbe(probe.id, result("pass"))).requiredBytes).toBeNull();
  });

  it("keeps the KV cache a load out of memory failed to allocate, lists it as evidence and exports it", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    await store.syncModels(host.id, [downloaded("a")], new Date());
    const model = (await store.getModel(host.id, "a"))!;
    const run = await store.createRun({
      hostId: host.id,
      mode: "single",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    const start = (contextRequested: number) =>
      store.startProbe({ runId: run.id, modelId: model.id, contextRequested, kind: "loadable" });
    const outOfMemory = await start(131_072);
    const failed = await store.finishProbe(outOfMemory.id, {
      ...result("fail"),
      errorCategory: "INSUFFICIENT_RESOURCES",
      failedKvCacheBytes: 17_179_869_184,
    });
    expect(failed.failedKvCacheBytes).toBe(17_179_869_184);
    expect((await store.listRunProbes(run.id))[0]?.failedKvCacheBytes).toBe(17_179_869_184);
    const passed = await start(2_048);
    expect((await store.finishProbe(passed.id, result("pass"))).failedKvCacheBytes).toBeNull();
    const evidence = await store.listLoadEvidence(host.id);
    expect(evidence.map((load) => load.failedKvCacheBytes)).toEqual([17_179_869_184, undefined]);

    const chunks: string[] = [];
    for await (const chunk of await exportStream(db, { format: "json", hostId: host.id })) chunks.push(chunk);
    const history = JSON.parse(chunks.join("")) as HistoryExport;
    expect(history.probes.map((probe) => probe.failedKvCacheBytes)).toEqual([17_179_869_184, null]);
  });

  it("lists the check's speeds with a load probe that measured them", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    await store.syncModels(host.id, [downloaded("a")], new Date());
    const model = (await store.getModel(host.id, "a"))!;
    const run = await store.createRun({
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({}),
      startedBy: "cli",
    });
    const started = await store.startProbe({
      runId: run.id,
      modelId: model.id,
      contextRequested: 2_048,
      kind: "loadable",
    });
    await store.finishProbe(started.id, {
      ...result("pass"),
      contextApplied: 2_048,
      promptTokensPerSec: 1_200.5,
      genTokensPerSec: 48.25,
    });
    expect(await store.listLoadEvidence(host.id)).toMatchObject([
      { probeId: started.id, promptTokensPerSec: 1_200.5, genTokensPerSec: 48.25 },
    ]);
  });

  it("lists a host's finished load probes from every run, with model key and size, oldest first", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    const other = await store.ensureHost("gpu-box", "ws://10.0.0.2:1234");
    await store.syncModels(
      host.id,
      [downloaded("a"), downloaded("a@q8_0", { sizeBytes: 8_000_000_000 })],
      new Date(),
    );
    await store.syncModels(other.id, [downloaded("a")], new Date());
    const a = (await store.getModel(host.id, "a"))!;
    const q8 = (await store.getModel(host.id, "a@q8_0"))!;
    const elsewhere = (await store.getModel(other.id, "a"))!;
    const options = runOptionsSchema.parse({});
    const first = await store.createRun({ hostId: host.id, mode: "all", options, startedBy: "cli" });
    const second = await store.createRun({ hostId: host.id, mode: "all", options, startedBy: "cli" });
    const otherRun = await store.createRun({ hostId: other.id, mode: "all", options, startedBy: "cli" });
    const probe = async (
      runId: number,
      modelId: number,
      contextRequested: number,
      finish: Parameters<PrismaStore["finishProbe"]>[1] | null,
      kind: "loadable" | "effective" = "loadable",
    ) => {
      const started = await store.startProbe({ runId, modelId, contextRequested, kind });
      if (finish) await store.finishProbe(started.id, finish);
      return started.id;
    };
    const passed = await probe(first.id, a.id, 2_048, { ...result("pass"), contextApplied: 2_048 });
    const refused = await probe(first.id, q8.id, 131_072, {
      ...result("fail"),
      errorCategory: "INSUFFICIENT_RESOURCES",
      requiredBytes: 24_000_000_000,
    });
    await probe(first.id, a.id, 4_096, null); // still open (in flight or crashed): proves nothing
    await probe(first.id, a.id, 8_192, { ...result("cancelled") });
    await probe(first.id, q8.id, 2_048, { ...result("error"), errorCategory: "MEMORY_CACHE_CORRUPTED" });
    await probe(first.id, a.id, 2_048, { ...result("pass"), contextApplied: 2_048 }, "effective");
    await probe(otherRun.id, elsewhere.id, 2_048, { ...result("pass"), contextApplied: 2_048 });
    const crashed = await probe(second.id, a.id, 65_536, {
      ...result("fail"),
      contextApplied: 65_536,
      errorCategory: "MODEL_CRASHED",
    });

    expect(await store.listLoadEvidence(host.id)).toEqual([
      {
        probeId: passed,
        runId: first.id,
        modelId: a.id,
        modelKey: "a",
        sizeBytes: 4_000_000_000,
        architecture: "llama",
        params: "8B",
        contextRequested: 2_048,
        contextApplied: 2_048,
        outcome: "pass",
        errorCategory: null,
        requiredBytes: null,
      },
      {
        probeId: refused,
        runId: first.id,
        modelId: q8.id,
        modelKey: "a@q8_0",
        sizeBytes: 8_000_000_000,
        architecture: "llama",
        params: "8B",
        contextRequested: 131_072,
        contextApplied: null,
        outcome: "fail",
        errorCategory: "INSUFFICIENT_RESOURCES",
        requiredBytes: 24_000_000_000,
      },
      {
        probeId: crashed,
        runId: second.id,
        modelId: a.id,
        modelKey: "a",
        sizeBytes: 4_000_000_000,
        architecture: "llama",
        params: "8B",
        contextRequested: 65_536,
        contextApplied: 65_536,
        outcome: "fail",
        errorCategory: "MODEL_CRASHED",
        requiredBytes: null,
      },
    ]);
    expect(await store.listLoadEvidence(other.id)).toHaveLength(1);
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
    for (let index = 0; index < 5; index += 1)
      events.push(await store.appendEvent(run.id, "log", { message: `line ${index}` }));
    const after = await store.listEventsAfter(run.id, events[1]!.id, 2);
    expect(after.map((event) => event.payload)).toEqual([{ message: "line 2" }, { message: "line 3" }]);
  });

  it("keeps a resumed run's first start time, so its duration includes the work before the interruption", async () => {
    const host = await store.ensureHost("local", "ws://127.0.0.1:1234");
    const run = await store.createRun({
      hostId: host.id,
      mode: "all",
      options: runOptionsSchema.parse({}),
      startedBy: "web",
    });
    const started = await store.setRunStatus(run.id, "running");
    expect(started.startedAt).toBeInstanceOf(Date);
    await store.setRunStatus(run.id, "interrupted", "The process running it stopped");
    await new Promise((resolve) => setTimeout(resolve, 5));
    const resumed = await store.setRunStatus(run.id, "running", null);
    expect(resumed.startedAt).toEqual(started.startedAt);
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
    await store.appendEvent(run.id, "log", { message: "Testing 1 model" });
    expect(await store.removeHost(host.id)).toBe(true);
    expect(await store.removeHost(host.id)).toBe(false);
    expect((await store.listHosts()).map((h) => h.name)).toEqual(["local"]);
    expect(await store.getRun(run.id)).toBeNull();
    expect(await store.listModels({})).toHaveLength(1);
  });
});
