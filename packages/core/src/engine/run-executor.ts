import type { ModelSummary } from "../domain/model";
import type { ProbeKind } from "../domain/probe";
import type { RunStatus } from "../domain/run";
import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import type { ProbeRecord, RunRecord, Store } from "../ports/store";
import { answerReserve, filledCheck } from "./filled-check";
import { fitStrategy } from "./fit-search";
import { waitForHost } from "./host-connection";
import { hostKnowledge } from "./host-evidence";
import { withHost } from "./host-step";
import { type ModelHistory, readModelHistory } from "./model-history";
import { selectModels } from "./model-selection";
import { type ProbeCheck, type ProbeRun, restoreBadMarker, runProbe } from "./probe-runner";
import { isUserCancel, type RunContext } from "./run-context";
import {
  lmstrixBatchStrategy,
  lmstrixSingleStrategy,
  type SearchKnowledge,
  type SearchParams,
  type SearchStep,
  type Strategy,
  tokens,
} from "./search";

/** Which search a probe belongs to, and what it asks the loaded model (default: the loadable check). */
interface ProbeKindSpec {
  kind: ProbeKind;
  check?: ProbeCheck;
}
const LOADABLE: ProbeKindSpec = { kind: "loadable" };

export interface RunResult {
  status: Extract<RunStatus, "completed" | "failed" | "cancelled">;
  message: string | null;
}

/** Thrown inside the executor to stop the whole run (host gone for good, or cancelled). */
class StopRun extends Error {
  constructor(readonly result: RunResult) {
    super(result.message ?? result.status);
  }
}

/**
 * Executes (or resumes) one run on its host. Every step is written to the store as it happens, and the
 * plan is derived from what is stored, so running it again after a crash continues where it stopped.
 * A model's failure never stops the run; only a host that stays away, or a cancel, does.
 */
export async function executeRun(ctx: RunContext, run: RunRecord, hostUrl: string): Promise<RunResult> {
  try {
    await waitForHost(ctx, hostUrl);
    const models = await withHost(ctx, hostUrl, () => scanHost(ctx, run.hostId));
    const runProbes = await ctx.store.listRunProbes(run.id);
    await withHost(ctx, hostUrl, () => clearLoadedModels(ctx, run, modelsWithOpenProbes(models, runProbes)));
    const { selected, missing } = selectModels(run, models, runProbes);
    for (const key of missing) {
      await ctx.emit("warning", { modelKey: key, message: `${key} is not on this host (any more); skipped` });
    }
    await ctx.emit("log", {
      message: `Testing ${selected.length} model(s)`,
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
    message: `Scanned ${downloaded.length} model(s): ${sync.added.length} new, ${sync.changed.length} changed, ${sync.gone.length} gone`,
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
 */
async function clearLoadedModels(ctx: RunContext, run: RunRecord, leftByThisRun: ReadonlySet<string>) {
  const loaded = await ctx.runtime.listLoaded({ signal: ctx.signal });
  if (loaded.length === 0) return;
  const describe = (list: typeof loaded) =>
    list.map((model) => `${model.identifier} (${tokens(model.contextLength)} tokens)`).join(", ");
  const leaked = loaded.filter((model) => leftByThisRun.has(model.modelKey));
  const others = loaded.filter((model) => !leftByThisRun.has(model.modelKey));
  if (leaked.length > 0) {
    await ctx.emit("warning", {
      message: `Unloading what the interrupted run left loaded: ${describe(leaked)}`,
      models: leaked,
    });
    for (const model of leaked) await ctx.runtime.unload(model.identifier, { signal: ctx.signal });
  }
  if (others.length === 0) return;
  if (run.options.keepLoaded) {
    await ctx.emit("warning", {
      message: `Keeping loaded models, as asked: ${describe(others)}. Limits will be lower.`,
      models: others,
    });
    return;
  }
  await ctx.emit("warning", {
    message: `Unloading models loaded before the run: ${describe(others)}`,
    models: others,
  });
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
    if (run.options.fixedContext !== undefined) await testFixedContext(ctx, run, hostUrl, model, runProbes);
    else await searchModel(ctx, run, hostUrl, model, runProbes, singleStrategy(run));
  }
}

/**
 * `--all`: lmstrix's passes — every model one probe per pass, smallest models first — so that a night's
 * batch gives every model a first number early. A model leaves the batch when its search is done.
 */
async function runBatch(ctx: RunContext, run: RunRecord, hostUrl: string, models: ModelSummary[]) {
  let active = [...models];
  let lastModelId: number | null = null;
  while (active.length > 0) {
    const stillActive: ModelSummary[] = [];
    for (const model of active) {
      const latest = (await ctx.store.getModel(run.hostId, model.modelKey)) ?? model;
      const probes = await ctx.store.listRunProbes(run.id);
      const state = await prepareModel(ctx, run, latest, probes);
      const step = lmstrixBatchStrategy(state.params, state.history.observations);
      if (state.history.modelError || step.kind === "done") {
        await finishModel(ctx, run, hostUrl, latest, state.history, step, state.isNew);
        continue;
      }
      if (lastModelId !== null && lastModelId !== model.id) await ctx.sleep(run.options.cooldownMs);
      lastModelId = model.id;
      await probeStep(ctx, hostUrl, latest, step, state.history);
      stillActive.push(model);
    }
    active = stillActive;
  }
}

async function searchModel(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  model: ModelSummary,
  runProbes: ProbeRecord[],
  strategy: Strategy,
) {
  let probes = runProbes;
  let current = model;
  // What the host showed before this model's search; its own probes come in as its history.
  const knowledge = strategy === fitStrategy ? await hostKnowledge(ctx, run, model) : undefined;
  for (;;) {
    const state = await prepareModel(ctx, run, current, probes, knowledge);
    const step = strategy(state.params, state.history.observations);
    if (state.history.modelError || step.kind === "done") {
      await finishModel(ctx, run, hostUrl, current, state.history, step, state.isNew);
      return;
    }
    await probeStep(ctx, hostUrl, current, step, state.history);
    probes = await ctx.store.listRunProbes(run.id);
    current = (await ctx.store.getModel(run.hostId, model.modelKey)) ?? current;
  }
}

/** Reads the model's history in this run; the first time, applies `reset` and announces the model. */
async function prepareModel(
  ctx: RunContext,
  run: RunRecord,
  model: ModelSummary,
  probes: readonly ProbeRecord[],
  knowledge?: SearchKnowledge,
) {
  let history = readModelHistory(model, probes);
  const isNew = !history.hasProbes;
  if (isNew && run.options.reset) {
    const cleared = {
      testStatus: "untested",
      loadableLimit: null,
      effectiveLimit: null,
      lastGoodContext: null,
      lastBadContext: null,
    } as const;
    await ctx.store.updateModelSummary(model.id, { ...cleared, errorCategory: null, errorMessage: null });
    model = { ...model, ...cleared };
    history = readModelHistory(model, probes);
  }
  const params: SearchParams = {
    declared: model.declaredContext,
    threshold: run.options.threshold,
    verifyContext: run.options.verifyContext,
    previousBad: history.previousBad,
    force: run.options.force,
    precision: run.options.precision,
    knowledge,
  };
  return { history, params, isNew };
}

async function probeStep(
  ctx: RunContext,
  hostUrl: string,
  model: ModelSummary,
  step: Extract<SearchStep, { kind: "probe" }>,
  history: ModelHistory,
  spec: ProbeKindSpec = LOADABLE,
): Promise<ProbeRun> {
  if (!history.hasProbes && spec.kind === "loadable") {
    await ctx.emit("model.started", { modelKey: model.modelKey, declared: model.declaredContext });
  }
  for (;;) {
    const result = await runProbe(ctx, {
      model,
      context: step.context,
      kind: spec.kind,
      reuseProbeId: history.unfinished.get(step.context),
      phase: step.phase,
      ...(spec.check && { check: spec.check }),
    });
    if (result.verdict === "cancelled") throw new RuntimeError("CANCELLED", "Cancelled");
    if (result.verdict !== "host-lost") return result;
    // The host went away mid-probe: wait for it, clean up what the probe may have left, run the probe again.
    await ctx.emit("warning", {
      modelKey: model.modelKey,
      message: `Lost LM Studio: ${result.error?.message}`,
    });
    try {
      await waitForHost(ctx, hostUrl);
      // The host can drop again right after it came back: that is the same outage, not an internal error.
      await withHost(ctx, hostUrl, () => unloadModelInstances(ctx, model.modelKey));
    } catch (error) {
      // A shutdown or a lost lease during the wait: the probe stays open, to run again in its row on resume.
      if (ctx.signal.aborted && !isUserCancel(ctx.signal)) throw error;
      const lost = await ctx.store.finishProbe(result.probeId, {
        outcome: "cancelled",
        attempts: 1,
        contextApplied: null,
        errorCategory: "DISCONNECTED",
        errorMessage: result.error?.message ?? "Lost LM Studio",
        prompt: null,
        reply: null,
        loadMs: null,
        timeToFirstTokenMs: null,
        promptTokens: null,
        promptTokensPerSec: null,
        genTokensPerSec: null,
      });
      // The host's outage says nothing about this size: the model's last bad size goes back to what it was.
      await restoreBadMarker(ctx, model, lost);
      if (isRuntimeError(error) && error.category === "UNREACHABLE") {
        throw new StopRun({ status: "failed", message: error.message });
      }
      throw error;
    }
    history.unfinished.set(step.context, result.probeId);
  }
}

async function unloadModelInstances(ctx: RunContext, modelKey: string) {
  const loaded = await ctx.runtime.listLoaded({ signal: ctx.signal });
  for (const instance of loaded.filter((candidate) => candidate.modelKey === modelKey)) {
    await ctx.runtime.unload(instance.identifier, { signal: ctx.signal });
  }
}

/** Writes a model's result once its search is over; never leaves it at `testing`. */
async function finishModel(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  model: ModelSummary,
  history: ModelHistory,
  step: SearchStep,
  isNew: boolean,
) {
  // Finished before a crash and resumed: its result is already written. (A model whose effective search is
  // under way stays at `testing`, so a resumed run comes back here and continues that search.)
  if (!isNew && model.testStatus !== "testing") return;
  const observations = history.observations;
  const good = step.kind === "done" ? step.limit : null;
  const failures = observations.filter((o) => !o.passed && o.requested > (good ?? 0)).map((o) => o.requested);
  const bad = failures.length > 0 ? Math.min(...failures) : null;
  const error = history.modelError ?? (good === null ? history.lastFailure : undefined);
  const isFailed = history.modelError !== undefined || good === null;
  const measuresEffective = run.options.effective && !isFailed && good !== null;
  await ctx.store.updateModelSummary(model.id, {
    testStatus: isFailed ? "failed" : measuresEffective ? "testing" : "completed",
    loadableLimit: good,
    lastGoodContext: good,
    lastBadContext:
      bad ?? (history.previousBad !== null && history.previousBad > (good ?? 0) ? history.previousBad : null),
    lastTestedAt: new Date(),
    errorCategory: isFailed ? (error?.errorCategory ?? null) : null,
    errorMessage: isFailed ? (error?.errorMessage ?? (step.kind === "done" ? step.reason : null)) : null,
  });
  let effective: { effectiveLimit: number | null; effectiveReason: string } | undefined;
  if (measuresEffective) {
    effective = await searchEffective(ctx, run, hostUrl, model, good);
    await ctx.store.updateModelSummary(model.id, {
      testStatus: "completed",
      effectiveLimit: effective.effectiveLimit,
      lastTestedAt: new Date(),
    });
  } else if (run.options.effective) {
    effective = { effectiveLimit: null, effectiveReason: "no loadable limit to fill" };
    await ctx.store.updateModelSummary(model.id, { effectiveLimit: null });
  }
  await ctx.emit("model.finished", {
    modelKey: model.modelKey,
    status: isFailed ? "failed" : "completed",
    limit: good,
    declared: model.declaredContext,
    reason: history.modelError ? history.modelError.errorMessage : step.kind === "done" ? step.reason : null,
    errorCategory: isFailed ? (error?.errorCategory ?? null) : null,
    ...effective,
  });
}

/**
 * The effective limit of a model whose loadable limit is `loadable`: the same search (lmstrix's single-model
 * steps, with the loadable limit as declared size and threshold) over filled-context probes. Each probe loads
 * at C and fills C minus a reserve for the answers. A pass at the loadable limit credits the whole window;
 * otherwise the limit is the prompt (in the model's tokens) of the largest filled check that passed, which is
 * what the model was shown to use. Resumes from the run's `effective` probes like the loadable search does.
 */
async function searchEffective(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  model: ModelSummary,
  loadable: number,
): Promise<{ effectiveLimit: number | null; effectiveReason: string }> {
  const spec: ProbeKindSpec = { kind: "effective", check: filledCheck(run.options.recallThreshold) };
  const params: SearchParams = {
    declared: loadable,
    threshold: loadable,
    verifyContext: Math.min(run.options.verifyContext, loadable),
    previousBad: null,
    force: true,
    precision: run.options.precision,
  };
  const threshold = `${Math.round(run.options.recallThreshold * 100)} % recall`;
  for (;;) {
    const probes = await ctx.store.listRunProbes(run.id);
    const history = readModelHistory(model, probes, "effective");
    if (history.modelError) {
      return {
        effectiveLimit: null,
        effectiveReason: `filled check failed: ${history.modelError.errorMessage ?? history.modelError.errorCategory}`,
      };
    }
    const step = lmstrixSingleStrategy(params, history.observations);
    if (step.kind === "probe") {
      await probeStep(ctx, hostUrl, model, step, history, spec);
      continue;
    }
    if (step.limit === null) {
      const failure = history.lastFailure;
      const why =
        failure?.errorMessage ??
        (failure?.isTruncated
          ? "LM Studio silently truncated the prompt"
          : `recall ${Math.round((failure?.recall ?? 0) * 100)} % below ${threshold}`);
      return {
        effectiveLimit: null,
        effectiveReason: `does not pass the filled check even at ${tokens(params.verifyContext)} tokens (${why})`,
      };
    }
    if (step.limit >= loadable) {
      return {
        effectiveLimit: loadable,
        effectiveReason: `reaches ${threshold} with the window filled at the loadable limit`,
      };
    }
    const best = bestFilledPass(probes, model, step.limit);
    return {
      effectiveLimit: best,
      effectiveReason: `reaches ${threshold} with ${tokens(best)} prompt tokens; ${step.reason}`,
    };
  }
}

/** The prompt tokens of the largest passing filled check (never more than LM Studio reported processing). */
function bestFilledPass(probes: readonly ProbeRecord[], model: ModelSummary, window: number): number {
  let best = 0;
  for (const probe of probes) {
    if (probe.modelId !== model.id || probe.kind !== "effective" || probe.outcome !== "pass") continue;
    const sent =
      probe.promptTokensSent ?? (probe.contextApplied ?? probe.contextRequested) - answerReserve(window);
    best = Math.max(best, Math.min(sent, probe.promptTokens ?? sent));
  }
  return best;
}

/** `--ctx N`: exactly one size; refused at or above the last bad size unless forced, skipped above declared. */
async function testFixedContext(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  model: ModelSummary,
  runProbes: ProbeRecord[],
) {
  const context = run.options.fixedContext!;
  const history = readModelHistory(model, runProbes);
  if (history.observations.length > 0 || history.modelError) return;
  if (context > model.declaredContext) {
    await ctx.emit("warning", {
      modelKey: model.modelKey,
      message: `${tokens(context)} is above the declared ${tokens(model.declaredContext)}; skipped`,
    });
    return;
  }
  if (
    !history.hasProbes &&
    model.lastBadContext !== null &&
    context >= model.lastBadContext &&
    !run.options.force
  ) {
    await ctx.emit("warning", {
      modelKey: model.modelKey,
      message: `${tokens(context)} is at or above the last known bad size ${tokens(model.lastBadContext)}; use --force to test it anyway`,
    });
    return;
  }
  const statusBefore = model.testStatus === "testing" ? settledStatus(model) : model.testStatus;
  const result = await probeStep(ctx, hostUrl, model, { kind: "probe", context, phase: "bound" }, history);
  // Never credit more than LM Studio really loaded.
  const applied = result.probe?.contextApplied ?? context;
  const isPass = result.verdict === "pass";
  const category = result.error?.category ?? null;
  const reason = isPass
    ? `works at ${tokens(applied)} tokens`
    : (result.error?.message ?? `did not answer the check prompts at ${tokens(context)} tokens`);
  // A failure above a limit measured before does not undo that limit; otherwise the model failed.
  const keepsEarlierLimit = !isPass && statusBefore === "completed";
  await ctx.store.updateModelSummary(model.id, {
    testStatus: isPass || keepsEarlierLimit ? "completed" : "failed",
    loadableLimit: isPass ? Math.max(model.loadableLimit ?? 0, applied) : model.loadableLimit,
    lastTestedAt: new Date(),
    errorCategory: isPass || keepsEarlierLimit ? null : category,
    errorMessage: isPass || keepsEarlierLimit ? null : reason,
  });
  await ctx.emit("model.finished", {
    modelKey: model.modelKey,
    status: isPass ? "completed" : "failed",
    limit: isPass ? applied : null,
    declared: model.declaredContext,
    reason,
    errorCategory: category,
  });
}

/** The status a model at `testing` goes back to when its search ends without a result. */
function settledStatus(model: ModelSummary): "completed" | "failed" | "untested" {
  if (model.loadableLimit !== null) return "completed";
  return model.errorCategory !== null ? "failed" : "untested";
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
