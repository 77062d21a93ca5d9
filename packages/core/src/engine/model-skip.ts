import { parseRunEvent } from "../domain/event";
import type { ModelSummary } from "../domain/model";
import { FINISHED_RUN_STATUSES } from "../domain/run";
import { SkipRefusedError } from "../errors/run-errors";
import { RuntimeError } from "../errors/runtime-error";
import type { RunRecord, Store } from "../ports/store";
import { linkedController } from "../util/linked-signal";
import { finishUnmeasured, restoreBadMarker } from "./probe-runner";
import { type RunContext, STOP_REASONS } from "./run-context";
import { settledStatus } from "./settled-status";

// The refusal moved to core's errors with the other `LmstrixError`s; importers of this module keep it.
export { type SkipRefusal, SkipRefusedError } from "../errors/run-errors";

/**
 * "Skip this model": the model in flight ends as skipped (its probe cancelled, its instance unloaded) and the
 * run goes on with the next one. The request is an event of the run, so that any process can make it: the
 * worker driving the run — the web server or a CLI — reads it at its next heartbeat, like a cancel.
 */
export const SKIP_REQUEST_EVENT = "model.skipRequested" as const;

/**
 * Asks the worker of a running run to skip `modelKey`, which must be in flight: started in this run and not
 * finished. Throws a `SkipRefusedError` saying what was wrong otherwise.
 */
export async function requestModelSkip(
  store: Store,
  input: { runId: number; modelKey: string; by: string },
): Promise<RunRecord> {
  const { runId, modelKey } = input;
  const run = await store.getRun(runId);
  if (!run) throw new SkipRefusedError("unknown-run", `No run #${runId}`);
  if (run.status !== "running") {
    const why = FINISHED_RUN_STATUSES.includes(run.status)
      ? `has ended (${run.status}): there is no model to skip`
      : `is ${run.status}: no model is in flight`;
    throw new SkipRefusedError("run-not-running", `Run #${runId} ${why}`);
  }
  const model = await store.getModel(run.hostId, modelKey);
  if (!model) throw new SkipRefusedError("model-not-in-flight", `No model "${modelKey}" on the run's host`);
  const probes = await store.listRunProbes(runId);
  const hasStarted = probes.some((probe) => probe.modelId === model.id);
  if (!hasStarted || model.testStatus !== "testing") {
    const why = hasStarted ? "has finished in this run already" : "has not started in this run";
    throw new SkipRefusedError("model-not-in-flight", `${modelKey} is not in flight: it ${why}`);
  }
  await store.appendEvent(runId, SKIP_REQUEST_EVENT, { modelKey, by: input.by });
  return run;
}

/** The skips asked for in one run, and the switch that stops the work of the model in flight. */
export class ModelSkips {
  /** Model keys a skip was asked for, with who asked first. */
  private readonly requested = new Map<string, string>();
  private readonly inFlight = new Map<string, AbortController>();

  request(modelKey: string, by: string): void {
    if (!this.requested.has(modelKey)) this.requested.set(modelKey, by);
    this.inFlight.get(modelKey)?.abort(STOP_REASONS.skipped);
  }

  /** Who asked to skip `modelKey`, or undefined when nobody did. */
  requestedBy(modelKey: string): string | undefined {
    return this.requested.get(modelKey);
  }

  /**
   * Runs one model's `work` with a context whose signal also aborts when the model is skipped (so the probe
   * in flight ends `cancelled`, its marker restored, its instance unloaded). A skip asked before the work
   * began aborts it from the start: no probe starts (`probeStep`), but a search that is done still writes
   * its result. Resolves `skipped` when a skip stopped the work; a cancel or a shutdown of the run is thrown.
   */
  async run(
    ctx: RunContext,
    modelKey: string,
    work: (scoped: RunContext) => Promise<void>,
  ): Promise<"done" | "skipped"> {
    const { controller, unlink } = linkedController(ctx.signal);
    if (this.requested.has(modelKey)) controller.abort(STOP_REASONS.skipped);
    this.inFlight.set(modelKey, controller);
    const scoped: RunContext = {
      ...ctx,
      signal: controller.signal,
      sleep: (ms) => untilAborted(ctx.sleep(ms), controller.signal),
    };
    try {
      await work(scoped);
      return "done";
    } catch (error) {
      if (!ctx.signal.aborted && controller.signal.reason === STOP_REASONS.skipped) return "skipped";
      throw error;
    } finally {
      this.inFlight.delete(modelKey);
      unlink();
    }
  }
}

/**
 * Runs `work` for `model` under the run's skips (directly when the run has none); when the model was skipped,
 * writes its end. Returns whether the model was skipped.
 */
export async function unlessSkipped(
  ctx: RunContext,
  run: RunRecord,
  model: ModelSummary,
  work: (scoped: RunContext) => Promise<void>,
): Promise<boolean> {
  if (!ctx.skips) {
    await work(ctx);
    return false;
  }
  const outcome = await ctx.skips.run(ctx, model.modelKey, work);
  if (outcome === "skipped") await finishSkipped(ctx, run, model, ctx.skips.requestedBy(model.modelKey));
  return outcome === "skipped";
}

/**
 * A skipped model goes back to what its stored results say (never left at `testing`) and its end is
 * announced. A model whose skip was written before a resume is not announced twice; a probe of it that a
 * crash left open (the skip asked for, the process gone before it acted) ends cancelled, as it would have.
 */
async function finishSkipped(ctx: RunContext, run: RunRecord, model: ModelSummary, by = "a user") {
  const current = (await ctx.store.getModel(run.hostId, model.modelKey)) ?? model;
  if (current.testStatus !== "testing") return;
  const probes = await ctx.store.listRunProbes(run.id);
  for (const open of probes.filter((probe) => probe.modelId === current.id && probe.outcome === null)) {
    const reason = new RuntimeError("CANCELLED", `skipped by ${by}`);
    await restoreBadMarker(ctx, current, await finishUnmeasured(ctx, open.id, "cancelled", reason));
  }
  await ctx.store.updateModelSummary(current.id, { testStatus: settledStatus(current) });
  await ctx.emit("model.finished", {
    modelKey: model.modelKey,
    status: "skipped",
    limit: null,
    declared: model.declaredContext,
    reason: `skipped by ${by}`,
    errorCategory: null,
  });
}

const SKIP_PAGE = 500;

/**
 * Reads a run's skip requests from its events, whichever process wrote them: all of them once before the
 * run starts or resumes (a skip asked before a crash still counts), then the new ones at every heartbeat.
 */
export class SkipRequestReader {
  private cursor = 0;
  private isReading = false;

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    readonly skips: ModelSkips,
  ) {}

  async read(): Promise<void> {
    // Heartbeats do not wait for each other: one read at a time keeps the cursor consistent.
    if (this.isReading) return;
    this.isReading = true;
    try {
      for (;;) {
        const events = await this.store.listEventsAfter(this.runId, this.cursor, SKIP_PAGE);
        for (const row of events) {
          this.cursor = row.id;
          // A row that does not fit its kind (an older database) asks nothing: passed over.
          const event = row.type === SKIP_REQUEST_EVENT ? parseRunEvent(row) : null;
          if (event?.type !== SKIP_REQUEST_EVENT) continue;
          this.skips.request(event.payload.modelKey, event.payload.by ?? "a user");
        }
        if (events.length < SKIP_PAGE) return;
      }
    } finally {
      this.isReading = false;
    }
  }
}

function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new RuntimeError("CANCELLED", "The model was skipped"));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new RuntimeError("CANCELLED", "The model was skipped"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
