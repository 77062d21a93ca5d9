import { describe, expect, it } from "vitest";
import type { RunEventPayload, RunEventRow, RunEventType } from "../domain/event";
import type { Host } from "../domain/host";
import type { ModelSummary } from "../domain/model";
import { FINISHED_RUN_STATUSES, type RunStatus, runOptionsSchema } from "../domain/run";
import type { HostLease, LoadEvidence, ModelSyncResult, RunRecord, Store } from "../ports/store";
import { SimulatedRuntime } from "../testing/simulated-runtime";
import { sameRunOptions } from "./duplicate-run";
import { cancelRun, enqueueRun, HostWorker } from "./run-queue";

const notUsed = (): never => {
  throw new Error("not used by these tests");
};

/**
 * Just enough of a `Store` in memory for the queue: runs, events and leases. Hosts have no models, so a run
 * asking for a model skips it with a warning and completes at once.
 */
class MemoryStore implements Store {
  readonly runs = new Map<number, RunRecord>();
  readonly events: RunEventRow[] = [];
  private lease: HostLease | null = null;
  private nextRunId = 1;

  async listHosts() {
    return [HOST];
  }
  async getHost(id: number) {
    return id === HOST.id ? HOST : null;
  }
  ensureHost = notUsed;
  updateHost = notUsed;
  removeHost = notUsed;
  async syncModels(): Promise<ModelSyncResult> {
    return { added: [], changed: [], gone: [], unchanged: 0 };
  }
  async listModels(): Promise<ModelSummary[]> {
    return [];
  }
  getModel = notUsed;
  updateModelSummary = notUsed;
  async createRun(input: Pick<RunRecord, "hostId" | "mode" | "options" | "startedBy">) {
    const run: RunRecord = {
      ...input,
      id: this.nextRunId++,
      status: "queued",
      message: null,
      createdAt: new Date(),
      startedAt: null,
      finishedAt: null,
      lmStudioVersion: null,
    };
    this.runs.set(run.id, run);
    return { ...run };
  }
  async createRunUnlessPending(input: Pick<RunRecord, "hostId" | "mode" | "options" | "startedBy">) {
    const twin = [...this.runs.values()].find(
      (run) =>
        run.hostId === input.hostId &&
        run.mode === input.mode &&
        !FINISHED_RUN_STATUSES.includes(run.status) &&
        sameRunOptions(run.options, input.options),
    );
    return twin ? { run: { ...twin }, created: false } : { run: await this.createRun(input), created: true };
  }
  async getRun(id: number) {
    const run = this.runs.get(id);
    return run ? { ...run } : null;
  }
  async listRuns(filter: { hostId?: number; statuses?: RunStatus[] }) {
    return [...this.runs.values()]
      .filter((run) => filter.hostId === undefined || run.hostId === filter.hostId)
      .filter((run) => !filter.statuses || filter.statuses.includes(run.status))
      .map((run) => ({ ...run }));
  }
  async setRunStatus(id: number, status: RunStatus, message: string | null = null) {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run #${id}`);
    run.status = status;
    run.message = message;
    if (status === "running") run.startedAt ??= new Date();
    if (status === "completed" || status === "failed" || status === "cancelled") run.finishedAt = new Date();
    return { ...run };
  }
  startProbe = notUsed;
  finishProbe = notUsed;
  async setRunLmStudioVersion(runId: number, version: string) {
    const run = this.runs.get(runId);
    if (run) run.lmStudioVersion = version;
  }
  async setHostLmStudioVersion() {}
  recordLimitChange = notUsed;
  listModelProbes = notUsed;
  listHostProbes = notUsed;
  async listRunProbes() {
    return [];
  }
  /** Hosts here have no models, so no load was ever tried. */
  async listLoadEvidence(): Promise<LoadEvidence[]> {
    return [];
  }
  async appendEvent(runId: number, type: RunEventType, payload: RunEventPayload) {
    const event: RunEventRow = { id: this.events.length + 1, runId, type, payload, createdAt: new Date() };
    this.events.push(event);
    return event;
  }
  async listEventsAfter(runId: number, afterId: number, limit: number) {
    return this.events.filter((event) => event.runId === runId && event.id > afterId).slice(0, limit);
  }
  async acquireHostLease(hostId: number, holder: string, runId: number | null) {
    if (this.lease && this.lease.holder !== holder) return false;
    this.lease = { hostId, holder, runId, heartbeatAt: new Date() };
    return true;
  }
  async getHostLease() {
    return this.lease ? { ...this.lease } : null;
  }
  async renewHostLease(_hostId: number, holder: string) {
    if (this.lease?.holder !== holder) return false;
    this.lease.heartbeatAt = new Date();
    return true;
  }
  async releaseHostLease(_hostId: number, holder: string) {
    if (this.lease?.holder === holder) this.lease = null;
  }

  types(runId: number): string[] {
    return this.events.filter((event) => event.runId === runId).map((event) => event.type);
  }

  /** The warnings the hook's failures left on a run. */
  hookWarnings(runId: number): RunEventRow[] {
    return this.events.filter(
      (event) => event.runId === runId && event.type === "warning" && event.payload.stage === "beforeRun",
    );
  }
}

const HOST: Host = {
  id: 1,
  name: "local",
  url: "ws://127.0.0.1:1234",
  enabled: true,
  lmstudioHome: null,
  lmStudioVersion: null,
};
const OPTIONS = runOptionsSchema.parse({ modelKeys: ["absent-model"], cooldownMs: 0 });

function setup(
  beforeRun?: (run: RunRecord, store: MemoryStore) => Promise<void>,
  afterRun?: (run: RunRecord) => void,
) {
  const store = new MemoryStore();
  const worker = new HostWorker({
    store,
    runtimeFor: () => new SimulatedRuntime({ models: [], memoryBytes: 1024 ** 3 }),
    holder: "test:worker:1",
    heartbeatMs: 10,
    beforeRun: beforeRun && ((run) => beforeRun(run, store)),
    afterRun,
  });
  const enqueue = () =>
    enqueueRun(store, { hostId: HOST.id, mode: "single", options: OPTIONS, startedBy: "test" });
  return { store, worker, enqueue };
}

describe("HostWorker afterRun hook", () => {
  it("is called once each run has ended and its final event is written; a hook that throws stops nothing", async () => {
    const ended: { id: number; lastEvent: string | undefined }[] = [];
    const { store, worker, enqueue } = setup(undefined, (run) => {
      ended.push({ id: run.id, lastEvent: store.types(run.id).at(-1) });
      throw new Error("the webhook receiver is down");
    });
    const first = await enqueue();
    const second = await enqueue();
    expect(await worker.drain(HOST)).toEqual({ state: "idle" });
    expect(ended).toEqual([
      { id: first.id, lastEvent: "run.finished" },
      { id: second.id, lastEvent: "run.finished" },
    ]);
    expect((await store.getRun(second.id))?.status).toBe("completed");
  });
});

describe("cancelRun", () => {
  it("tells its caller of a queued run it ended (no worker will), once its final event is written", async () => {
    const { store, enqueue } = setup();
    const run = await enqueue();
    const ended: { id: number; status: string; lastEvent: string | undefined }[] = [];
    const record = (cancelled: RunRecord) =>
      ended.push({ id: cancelled.id, status: cancelled.status, lastEvent: store.types(cancelled.id).at(-1) });
    await cancelRun(store, run.id, record);
    // Cancelled again, it has ended already: nothing more to tell.
    await cancelRun(store, run.id, record);
    expect(ended).toEqual([{ id: run.id, status: "cancelled", lastEvent: "run.finished" }]);
  });

  it("leaves a running run's end to its worker", async () => {
    const { store, enqueue } = setup();
    const run = await enqueue();
    await store.setRunStatus(run.id, "running", null);
    const ended: number[] = [];
    await cancelRun(store, run.id, (cancelled) => ended.push(cancelled.id));
    expect((await store.getRun(run.id))?.status).toBe("cancelled");
    expect(ended).toEqual([]);
  });
});

describe("HostWorker beforeRun hook", () => {
  it("is called once per run, while it is still queued and before it is started", async () => {
    const seen: { id: number; status: string; events: string[] }[] = [];
    const { store, worker, enqueue } = setup(async (run, memory) => {
      seen.push({ id: run.id, status: (await memory.getRun(run.id))!.status, events: memory.types(run.id) });
    });
    const first = await enqueue();
    const second = await enqueue();
    expect(await worker.drain(HOST)).toEqual({ state: "idle" });
    expect(seen).toEqual([
      { id: first.id, status: "queued", events: ["run.queued"] },
      { id: second.id, status: "queued", events: ["run.queued"] },
    ]);
    for (const run of [first, second]) {
      expect((await store.getRun(run.id))?.status).toBe("completed");
      expect(store.types(run.id).slice(0, 2)).toEqual(["run.queued", "run.started"]);
    }
  });

  it("is not called when an interrupted run resumes", async () => {
    const calls: number[] = [];
    const { store, worker, enqueue } = setup(async (run) => {
      calls.push(run.id);
    });
    const run = await enqueue();
    await store.setRunStatus(run.id, "interrupted", "The process running it stopped");
    await worker.drain(HOST);
    expect(calls).toEqual([]);
    expect((await store.getRun(run.id))?.status).toBe("completed");
    expect(store.types(run.id)).toContain("run.resumed");
    expect(store.types(run.id)).not.toContain("run.started");
  });

  it("a hook that throws leaves a warning on the run; the run and the worker go on", async () => {
    const { store, worker, enqueue } = setup(async (run) => {
      if (run.id === 1) throw new Error("could not take the before-run snapshot: disk full");
    });
    const first = await enqueue();
    const second = await enqueue();
    expect(await worker.drain(HOST)).toEqual({ state: "idle" });
    const warning = store.events.find((event) => event.runId === first.id && event.type === "warning");
    expect(warning?.payload).toMatchObject({
      message: "Before the run: could not take the before-run snapshot: disk full; the run goes on",
    });
    expect(store.types(first.id).indexOf("warning")).toBeLessThan(
      store.types(first.id).indexOf("run.started"),
    );
    expect((await store.getRun(first.id))?.status).toBe("completed");
    expect((await store.getRun(second.id))?.status).toBe("completed");
    expect(store.hookWarnings(second.id)).toEqual([]);
    expect(await store.getHostLease()).toBeNull();
  });

  it("a run cancelled while the hook works is not started", async () => {
    const { store, worker, enqueue } = setup(async (run, memory) => {
      await cancelRun(memory, run.id);
    });
    const run = await enqueue();
    await worker.drain(HOST);
    expect((await store.getRun(run.id))?.status).toBe("cancelled");
    expect(store.types(run.id)).toEqual(["run.queued", "run.finished"]);
  });

  it("keeps the lease alive while a slow hook works", async () => {
    const { store, worker, enqueue } = setup(async () => {
      const before = (await store.getHostLease())!.heartbeatAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect((await store.getHostLease())!.heartbeatAt.getTime()).toBeGreaterThan(before);
    });
    const run = await enqueue();
    await worker.drain(HOST);
    expect(store.hookWarnings(run.id)).toEqual([]);
    expect((await store.getRun(run.id))?.status).toBe("completed");
  });
});
