import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord } from "../ports/store";
import { readModelHistory } from "./model-history";
import { probeStep } from "./probe-step";
import type { RunContext } from "./run-context";
import { tokens } from "./search";
import { settledStatus } from "./settled-status";

/** `--ctx N`: exactly one size; refused at or above the last bad size unless forced, skipped above declared. */
export async function testFixedContext(
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
