import type { ModelSummary } from "../domain/model";
import { isRuntimeError } from "../errors/runtime-error";
import type { ProbeRecord, RunRecord, Store } from "../ports/store";
import { plural } from "../util/wording";
import { runBatch } from "./batch-passes";
import { fitStrategy } from "./fit-search";
import { testFixedContext } from "./fixed-context-step";
import { waitForHost } from "./host-connection";
import { withHost } from "./host-step";
import { searchModel } from "./model-search";
import { selectModels } from "./model-selection";
import { unlessSkipped } from "./model-skip";
import type { RunContext } from "./run-context";
import { type RunResult, StopRun } from "./run-result";
import { lmstrixSingleStrategy, type Strategy, tokens } from "./search";
import { settledStatus } from "./settled-status";

export type { RunResult } from "./run-result";

/**
 * Executes (or resumes) one run on its host. Every step is written to the store as it happens, and the
 * plan is derived from what is stored, so running it again after a crash continues where it stopped.
 * A model's failure never stops the run; only a host that stays away, or a cancel, does.
 */
export async function executeRun(ctx: RunContext, run: RunRecord, hostUrl: string): Promise<RunResult> {
  try {
    const { version } = await waitForHost(ctx, hostUrl);
    await ctx.store.setRunLmStudioVersion(run.id, version);
    await ctx.store.setHostLmStudioVersion(run.hostId, version);
    // What this run's results are measured under (the record was read before the host answered).
    run = { ...run, lmStudioVersion: version };
    const models = await withHost(ctx, hostUrl, () => scanHost(ctx, run.hostId));
    const runProbes = await ctx.store.listRunProbes(run.id);
    const leftByThisRun = modelsWithOpenProbes(models, runProbes);
    const announced = new Set<string>();
    await withHost(ctx, hostUrl, () => clearLoadedModels(ctx, run, leftByThisRun, announced));
    const { selected, missing } = selectModels(run, models, runProbes);
    for (const key of missing) {
      await ctx.emit("warning", { modelKey: key, message: `${key} is not on this host (any more); skipped` });
    }
    await ctx.emit("log", {
      message: `Testing ${plural(selected.length, "model")}`,
      modelKeys: selected.map((m) => m.modelKey),
    });
    // A fixed size is one probe per model whatever the selection (`--ctx N` with keys or with `--all`).
    // `fit` learns from every model it finishes, so its `--all` tests one model after the other.
    const isBatch = run.mode === "all" && run.options.fixedContext === undefined;
    if (isBatch && run.options.strategy === "lmstrix") await runBatch(ctx, run, hostUrl, selected);
    else await runEach(ctx, run, hostUrl, selected, runProbes);
    return { status: "completed", message: null };
  } catch (error) {
    if (error instanceof StopRun) return error.result;
    if (isRuntimeError(error) && error.category === "CANCELLED")
      return { status: "cancelled", message: "Cancelled" };
    if (isRuntimeError(error) && error.category === "UNREACHABLE")
      return { status: "failed", message: error.message };
    throw error;
  }
}

async function scanHost(ctx: RunContext, hostId: number): Promise<ModelSummary[]> {
  const downloaded = await ctx.runtime.listModels({ signal: ctx.signal });
  const sync = await ctx.store.syncModels(hostId, downloaded, new Date());
  await ctx.emit("log", {
    message: `Scanned ${plural(downloaded.length, "model")}: ${tokens(sync.added.length)} new, ${tokens(sync.changed.length)} changed, ${tokens(sync.gone.length)} gone`,
  });
  return ctx.store.listModels({ hostId });
}

/** Keys of models whose probe was in flight when this run stopped: their instance may still be loaded. */
function modelsWithOpenProbes(
  models: readonly ModelSummary[],
  runProbes: readonly ProbeRecord[],
): Set<string> {
  const open = new Set(runProbes.filter((probe) => probe.outcome === null).map((probe) => probe.modelId));
  return new Set(models.filter((model) => open.has(model.id)).map((model) => model.modelKey));
}

/**
 * Memory measurements mean nothing with other models loaded: unload them unless the user keeps them.
 * A model a stopped run of ours left loaded (its probe still open) is unloaded even then: it is not the user's.
 * `announced` (identifiers already named in a warning) lasts across the retries after a dropped connection,
 * so each model is announced once however often the step starts again.
 */
async function clearLoadedModels(
  ctx: RunContext,
  run: RunRecord,
  leftByThisRun: ReadonlySet<string>,
  announced: Set<string>,
) {
  const loaded = await ctx.runtime.listLoaded({ signal: ctx.signal });
  if (loaded.length === 0) return;
  const warn = async (message: (names: string) => string, list: typeof loaded) => {
    const fresh = list.filter((model) => !announced.has(model.identifier));
    if (fresh.length === 0) return;
    for (const model of fresh) announced.add(model.identifier);
    const names = fresh.map((model) => `${model.identifier} (${tokens(model.contextLength)} tokens)`);
    await ctx.emit("warning", { message: message(names.join(", ")), models: fresh });
  };
  const leaked = loaded.filter((model) => leftByThisRun.has(model.modelKey));
  const others = loaded.filter((model) => !leftByThisRun.has(model.modelKey));
  if (leaked.length > 0) {
    await warn((names) => `Unloading what the interrupted run left loaded: ${names}`, leaked);
    for (const model of leaked) await ctx.runtime.unload(model.identifier, { signal: ctx.signal });
  }
  if (others.length === 0) return;
  if (run.options.keepLoaded) {
    await warn((names) => `Keeping loaded models, as asked: ${names}. Limits will be lower.`, others);
    return;
  }
  await warn((names) => `Unloading models loaded before the run: ${names}`, others);
  for (const model of others) await ctx.runtime.unload(model.identifier, { signal: ctx.signal });
}

/** The search of single-model runs (and of `--all` with `fit`). */
function singleStrategy(run: RunRecord): Strategy {
  return run.options.strategy === "lmstrix" ? lmstrixSingleStrategy : fitStrategy;
}

/** Single-model and fixed-context runs, and `fit` batches: one model after the other, each to its end. */
async function runEach(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  models: ModelSummary[],
  runProbes: ProbeRecord[],
) {
  for (const [index, model] of models.entries()) {
    if (index > 0) await ctx.sleep(run.options.cooldownMs);
    await unlessSkipped(ctx, run, model, (scoped) =>
      run.options.fixedContext !== undefined
        ? testFixedContext(scoped, run, hostUrl, model, runProbes)
        : searchModel(scoped, run, hostUrl, model, runProbes, singleStrategy(run)),
    );
  }
}

/**
 * After a run ends cancelled or failed, no model it touched may stay at `testing` (lmstrix's "stuck in
 * testing"): each goes back to what its stored results say. Not used for a run that will resume.
 */
export async function settleRunModels(store: Store, run: RunRecord): Promise<void> {
  const probes = await store.listRunProbes(run.id);
  // A probe still open belongs to no run that will ever resume: it ends as cancelled.
  for (const probe of probes.filter((candidate) => candidate.outcome === null)) {
    await store.finishProbe(probe.id, {
      outcome: "cancelled",
      attempts: probe.attempts,
      contextApplied: probe.contextApplied,
      errorCategory: null,
      errorMessage: run.message ?? "The run ended before this probe finished",
      prompt: probe.prompt,
      expectedAnswer: probe.expectedAnswer,
      reply: probe.reply,
      loadMs: probe.loadMs,
      timeToFirstTokenMs: probe.timeToFirstTokenMs,
      promptTokens: probe.promptTokens,
      promptTokensPerSec: probe.promptTokensPerSec,
      genTokensPerSec: probe.genTokensPerSec,
    });
  }
  const modelIds = new Set(probes.map((probe) => probe.modelId));
  const models = await store.listModels({ hostId: run.hostId, status: "testing" });
  for (const model of models.filter((candidate) => modelIds.has(candidate.id))) {
    await store.updateModelSummary(model.id, { testStatus: settledStatus(model) });
  }
}
