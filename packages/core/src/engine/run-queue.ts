import type { Host } from "../domain/host";
import { isFinishedRunStatus, type RunMode, type RunOptions } from "../domain/run";
import type { ModelRuntime } from "../ports/model-runtime";
import type { RunRecord, Store } from "../ports/store";
import { DuplicateRunError } from "./duplicate-run";
import { ModelSkips, SkipRequestReader } from "./model-skip";
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings, type RunContext, STOP_REASONS } from "./run-context";
import { executeRun, settleRunModels } from "./run-executor";
import { sleep } from "./sleep";

/** A lease without a heartbeat for this long belongs to a dead process and may be taken over. */
export const DEFAULT_LEASE_STALE_MS = 30_000;
export const DEFAULT_HEARTBEAT_MS = 2_000;

/**
 * Queues a run; a worker holding the host's lease picks it up in FIFO order. A "test all" is refused with a
 * `DuplicateRunError` while the same one (same options) of the host is queued, running or interrupted: it
 * would only test again what that run tests.
 */
export async function enqueueRun(
  store: Pick<Store, "createRun" | "createRunUnlessPending" | "appendEvent">,
  input: { hostId: number; mode: RunMode; options: RunOptions; startedBy: string },
): Promise<RunRecord> {
  let run: RunRecord;
  if (input.mode === "all") {
    const pending = await store.createRunUnlessPending(input);
    if (!pending.created) throw new DuplicateRunError(pending.run);
    run = pending.run;
  } else {
    run = await store.createRun(input);
  }
  await store.appendEvent(run.id, "run.queued", {
    mode: run.mode,
    startedBy: run.startedBy,
    options: run.options,
  });
  return run;
}

/**
 * Cancels a run. A queued or interrupted run ends at once; a running one is marked here and its worker —
 * in this process or another — sees it at its next heartbeat, aborts the probe in flight and unloads.
 * `onEndedHere` is told of a run that ended in this call: no worker ends it, so no worker sends its
 * notifications (a running run's worker sends its own when it stops).
 */
export async function cancelRun(
  store: Store,
  runId: number,
  onEndedHere?: (run: RunRecord) => void,
): Promise<RunRecord | null> {
  const run = await store.getRun(runId);
  if (!run || isFinishedRunStatus(run.status)) return run;
  const cancelled = await store.setRunStatus(runId, "cancelled", "Cancelled by user");
  if (run.status !== "running") {
    // An interrupted run may have left models at `testing` and a probe open; nobody will resume it now.
    await settleRunModels(store, cancelled);
    await store.appendEvent(runId, "run.finished", { status: "cancelled", message: "Cancelled by user" });
    onEndedHere?.(cancelled);
  }
  return cancelled;
}

/**
 * Marks runs `running` whose worker is gone (no live lease) as `interrupted`, so a worker resumes them.
 * `isHolderDead` names holders known to be dead before their lease goes stale (a process of this machine that
 * no longer exists); their leases are read here, so the event can say when the run was last alive.
 */
export async function recoverInterruptedRuns(
  store: Store,
  leaseStaleMs = DEFAULT_LEASE_STALE_MS,
  isHolderDead: (holder: string) => boolean = () => false,
): Promise<RunRecord[]> {
  const running = await store.listRuns({ statuses: ["running"] });
  const recovered: RunRecord[] = [];
  for (const run of running) {
    const lease = await store.getHostLease(run.hostId);
    const isAlive =
      lease !== null &&
      lease.runId === run.id &&
      Date.now() - lease.heartbeatAt.getTime() < leaseStaleMs &&
      !isHolderDead(lease.holder);
    if (isAlive) continue;
    recovered.push(await store.setRunStatus(run.id, "interrupted", "The process running it stopped"));
    await store.appendEvent(run.id, "run.interrupted", {
      message: "The process running this run stopped; it will resume",
      // Its last heartbeat: when it stopped, as near as anyone knows (this event is written only now).
      ...(lease?.runId === run.id ? { lastAliveAt: lease.heartbeatAt.toISOString() } : {}),
    });
  }
  return recovered;
}

export interface HostWorkerOptions {
  store: Store;
  /** The runtime for a host; the worker does not close it. */
  runtimeFor(host: Host): ModelRuntime;
  /** Who holds the lease: unique per process, e.g. `cli:hostname:pid`. */
  holder: string;
  settings?: Partial<EngineSettings>;
  leaseStaleMs?: number;
  heartbeatMs?: number;
  /**
   * Called when a run is about to start from `queued` (not when an interrupted run resumes), while the worker
   * holds the host's lease and before the run becomes `running` — the apps take a database snapshot here.
   * A hook that throws does not stop the run or the worker: its error becomes a `warning` event of the run.
   * A run cancelled while the hook works is not started.
   */
  beforeRun?: (run: RunRecord) => Promise<void>;
  /**
   * Called once a run has ended (completed, failed or cancelled here) and its final rows are written; not
   * awaited and its errors ignored, so what it does (notifications) never holds up the queue.
   */
  afterRun?: (run: RunRecord) => void;
}

export type DrainResult = { state: "idle" } | { state: "busy"; holder: string; runId: number | null };

export interface DrainOptions {
  /**
   * Stop once this run has ended (the CLI: a process runs the queue up to and including its own run, then
   * exits, instead of working through runs that others queued after it).
   */
  untilRunId?: number;
}

/** Runs a host's queued and interrupted runs, one at a time, while holding the host's lease. */
export class HostWorker {
  private readonly settings: EngineSettings;
  private readonly leaseStaleMs: number;
  private readonly heartbeatMs: number;
  /** Cancel switches of the runs this worker is executing right now. */
  private readonly executing = new Map<number, AbortController>();

  constructor(private readonly options: HostWorkerOptions) {
    this.settings = { ...DEFAULT_ENGINE_SETTINGS, ...options.settings };
    this.leaseStaleMs = options.leaseStaleMs ?? DEFAULT_LEASE_STALE_MS;
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /**
   * Executes runs of `host` in FIFO order until none is left, then gives the lease back. Returns `busy` at once
   * when another live process holds the host. `signal` stops work for a shutdown: the run in flight is left
   * `interrupted`, to resume at the next start.
   */
  async drain(host: Host, signal?: AbortSignal, options: DrainOptions = {}): Promise<DrainResult> {
    const { store, holder } = this.options;
    for (;;) {
      if (signal?.aborted) {
        // Shutting down: the run in flight is `interrupted` by now; the next process may resume it at once
        // instead of waiting for this lease to go stale.
        await store.releaseHostLease(host.id, holder);
        return { state: "idle" };
      }
      const next = (await store.listRuns({ hostId: host.id, statuses: ["queued", "interrupted"] }))[0];
      if (!next || (await this.hasEnded(options.untilRunId))) {
        await store.releaseHostLease(host.id, holder);
        return { state: "idle" };
      }
      if (!(await store.acquireHostLease(host.id, holder, next.id, this.leaseStaleMs))) {
        const lease = await store.getHostLease(host.id);
        return { state: "busy", holder: lease?.holder ?? "another process", runId: lease?.runId ?? null };
      }
      // Another worker may have taken this run between the listing and the lease.
      const run = await store.getRun(next.id);
      if (run && (run.status === "queued" || run.status === "interrupted"))
        await this.execute(host, run, signal);
    }
  }

  /**
   * Aborts a run this worker is executing right now, without waiting for the next heartbeat to notice the
   * cancel in the database. Returns false when this worker is not executing it. Call `cancelRun` first.
   */
  abortLocalRun(runId: number): boolean {
    const cancel = this.executing.get(runId);
    if (!cancel) return false;
    cancel.abort(STOP_REASONS.cancelled);
    return true;
  }

  private async hasEnded(runId: number | undefined): Promise<boolean> {
    if (runId === undefined) return false;
    const run = await this.options.store.getRun(runId);
    return !run || isFinishedRunStatus(run.status);
  }

  private async execute(host: Host, run: RunRecord, shutdown: AbortSignal | undefined): Promise<void> {
    const { store, holder } = this.options;
    // One controller, aborted with the reason that tells the engine what to do with the probe in flight.
    const cancel = new AbortController();
    const onShutdown = () => cancel.abort(STOP_REASONS.shutdown);
    if (shutdown?.aborted) onShutdown();
    shutdown?.addEventListener("abort", onShutdown, { once: true });
    this.executing.set(run.id, cancel);
    const skipRequests = new SkipRequestReader(store, run.id, new ModelSkips());
    // The lease is kept alive (and a cancel or a skip noticed) from here on, while `beforeRun` works too.
    const heartbeat = setInterval(() => {
      void this.beat(host.id, run.id, cancel, skipRequests);
    }, this.heartbeatMs);
    try {
      const wasInterrupted = run.status === "interrupted";
      if (!wasInterrupted && !(await this.beforeRun(run, cancel.signal))) return;
      await store.setRunStatus(run.id, "running", null);
      await store.appendEvent(run.id, wasInterrupted ? "run.resumed" : "run.started", { holder });
      // Skips asked before a resume count: they are read before the first model starts again.
      await skipRequests.read();
      await this.runToEnd(host, run, cancel, skipRequests.skips);
    } finally {
      clearInterval(heartbeat);
      shutdown?.removeEventListener("abort", onShutdown);
      this.executing.delete(run.id);
    }
  }

  /**
   * The `beforeRun` hook of a run about to start. A failure is recorded as a warning and the run goes on.
   * Returns false when the run must not start after all: cancelled (by anyone) or the lease lost meanwhile,
   * or the worker shutting down (the run stays queued for the next start).
   */
  private async beforeRun(run: RunRecord, signal: AbortSignal): Promise<boolean> {
    const { store, beforeRun } = this.options;
    if (!beforeRun) return true;
    try {
      await beforeRun(run);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await store.appendEvent(run.id, "warning", {
        message: `Before the run: ${reason}; the run goes on`,
        stage: "beforeRun",
      });
    }
    if (signal.aborted) return false;
    return (await store.getRun(run.id))?.status === "queued";
  }

  /** Executes a run that is now `running` and records how it ended. */
  private async runToEnd(
    host: Host,
    run: RunRecord,
    cancel: AbortController,
    skips: ModelSkips,
  ): Promise<void> {
    const { store } = this.options;
    const signal = cancel.signal;
    const ctx: RunContext = {
      runId: run.id,
      store,
      runtime: this.options.runtimeFor(host),
      signal,
      settings: this.settings,
      emit: async (type, payload) => {
        await store.appendEvent(run.id, type, payload);
      },
      sleep: (ms) => sleep(ms, signal),
      skips,
    };
    const result = await executeRun(ctx, run, host.url).catch((error: unknown) => ({
      status: "failed" as const,
      message: `Internal error: ${error instanceof Error ? error.message : String(error)}`,
    }));
    const current = await store.getRun(run.id);
    if (cancel.signal.reason === STOP_REASONS.leaseLost) {
      // Another process took the host over (this one looked dead); the run is its now.
      return;
    }
    const isCancelled = current?.status === "cancelled";
    if (!isCancelled && cancel.signal.reason === STOP_REASONS.shutdown) {
      await store.setRunStatus(run.id, "interrupted", "The process running it stopped during the run");
      await store.appendEvent(run.id, "run.interrupted", {
        message: "The process running this run stopped; it will resume",
        lastAliveAt: new Date().toISOString(),
      });
    } else if (isCancelled || cancel.signal.aborted) {
      if (current?.status !== "cancelled") await store.setRunStatus(run.id, "cancelled", "Cancelled by user");
      await settleRunModels(store, run);
      await store.appendEvent(run.id, "run.finished", {
        status: "cancelled",
        message: "Cancelled by user",
      });
    } else {
      if (result.status !== "completed") await settleRunModels(store, run);
      await store.setRunStatus(run.id, result.status, result.message);
      await store.appendEvent(run.id, "run.finished", { status: result.status, message: result.message });
    }
    if (cancel.signal.reason !== STOP_REASONS.shutdown || isCancelled) this.notifyEnded(run);
  }

  private notifyEnded(run: RunRecord): void {
    try {
      this.options.afterRun?.(run);
    } catch {
      // A notification is never a reason for a run or the queue to fail.
    }
  }

  /** Keeps the lease alive and notices a cancel or a skip written by any process. */
  private async beat(hostId: number, runId: number, cancel: AbortController, skips: SkipRequestReader) {
    try {
      const { store, holder } = this.options;
      const [stillHeld, run] = await Promise.all([store.renewHostLease(hostId, holder), store.getRun(runId)]);
      if (!stillHeld) cancel.abort(STOP_REASONS.leaseLost);
      else if (run?.status === "cancelled") cancel.abort(STOP_REASONS.cancelled);
      else await skips.read();
    } catch {
      // A missed heartbeat is not fatal: the lease only goes stale after several.
    }
  }
}
