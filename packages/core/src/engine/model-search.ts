import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord } from "../ports/store";
import { failingSize } from "./applied-context";
import { type EffectiveResult, searchEffective } from "./effective-search-step";
import { fitStrategy } from "./fit-search";
import { hostKnowledge } from "./host-evidence";
import { measuredUnderPatch, recordLimitChange } from "./measured-under";
import { type ModelHistory, readModelHistory } from "./model-history";
import { probeStep } from "./probe-step";
import type { RunContext } from "./run-context";
import type { SearchKnowledge, SearchParams, SearchStep, Strategy } from "./search";
import { withSpillsAsFailures } from "./spill";

/** One model's search to its end: probe after probe until `strategy` is done, then its result written. */
export async function searchModel(
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
export async function prepareModel(
  ctx: RunContext,
  run: RunRecord,
  model: ModelSummary,
  probes: readonly ProbeRecord[],
  knowledge?: SearchKnowledge,
) {
  let history = readModelHistory(model, probes);
  const isNew = !history.hasProbes;
  if (isNew && run.options.reset) {
    // The search starts afresh (no earlier good or bad size steers it), but the limits stand until this run
    // writes its own: the new ones are compared with them (a scheduled "Test all" resets every model), and a
    // run that does not measure the effective limit leaves it as it was.
    const cleared = {
      testStatus: "untested",
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

/** Writes a model's result once its search is over; never leaves it at `testing`. */
export async function finishModel(
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
  // A pass that spilled out of the GPU's memory is a bad size like a failure; a failure is bad at what loaded.
  const observations = withSpillsAsFailures(history.observations);
  const good = step.kind === "done" ? step.limit : null;
  const failures = observations.map(failingSize).filter((size, index) => {
    return !observations[index]?.passed && size > (good ?? 0);
  });
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
    // A model that no longer loads has no usable context to recall in either.
    ...(isFailed && { effectiveLimit: null, effectiveThreshold: null }),
    // The effective search below writes them when it ends: until then the earlier effective limit stands.
    ...(!measuresEffective && measuredUnderPatch(run, model)),
  });
  await recordLimitChange(ctx, run, model, "loadable", good);
  let effective: (EffectiveResult & { effectiveNoneFound: boolean }) | undefined;
  if (measuresEffective) {
    const search = await searchEffective(ctx, run, hostUrl, model, good);
    effective = {
      ...search.result,
      effectiveNoneFound: search.measured && search.result.effectiveLimit === null,
    };
    await ctx.store.updateModelSummary(model.id, {
      testStatus: "completed",
      effectiveLimit: effective.effectiveLimit,
      // "None found" is a result at this threshold; a search that could not run its checks leaves none standing.
      effectiveThreshold: search.measured ? run.options.recallThreshold : null,
      lastTestedAt: new Date(),
      ...measuredUnderPatch(run, model),
    });
    await recordLimitChange(ctx, run, model, "effective", effective.effectiveLimit, effective.effectiveRange);
  } else if (run.options.effective) {
    effective = {
      effectiveLimit: null,
      effectiveReason: "no loadable limit to fill",
      effectiveNoneFound: false,
    };
    await ctx.store.updateModelSummary(model.id, { effectiveLimit: null, effectiveThreshold: null });
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
