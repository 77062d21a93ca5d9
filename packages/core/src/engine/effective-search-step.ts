import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord } from "../ports/store";
import { percent } from "../util/wording";
import { answerReserve, filledCheck } from "./filled-check";
import { readModelHistory } from "./model-history";
import { type ProbeKindSpec, probeStep } from "./probe-step";
import type { RunContext } from "./run-context";
import { lmstrixSingleStrategy, type SearchParams, tokens } from "./search";

/**
 * The effective limit of a model whose loadable limit is `loadable`: the same search (lmstrix's single-model
 * steps, with the loadable limit as declared size and threshold) over filled-context probes. Each probe loads
 * at C and fills C minus a reserve for the answers. A pass at the loadable limit credits the whole window;
 * otherwise the limit is the prompt (in the model's tokens) of the largest filled check that passed, which is
 * what the model was shown to use. Resumes from the run's `effective` probes like the loadable search does.
 */
export async function searchEffective(
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
  const threshold = `${percent(run.options.recallThreshold)} recall`;
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
          : `recall ${percent(failure?.recall ?? 0)} below ${threshold}`);
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
