import type { ModelSummary } from "../domain/model";
import type { ProbeRecord, RunRecord } from "../ports/store";
import { recallPercent as share } from "../util/wording";
import { type EffectiveOutcome, MAX_FILLED_PROBES, planEffective } from "./effective-plan";
import { filledCheck } from "./filled-check";
import { sampleOf } from "./filled-sample";
import { readModelHistory } from "./model-history";
import { probeStep } from "./probe-step";
import { recallAt } from "./recall-fit";
import type { RunContext } from "./run-context";
import { tokens } from "./search";

export interface EffectiveResult {
  effectiveLimit: number | null;
  effectiveReason: string;
  effectiveRange?: { low: number; high: number };
}

/** The search's result, and whether it measured at all: a filled check that failed to run measures nothing. */
export interface EffectiveSearch {
  result: EffectiveResult;
  /** False when the model failed a filled check (its load, a crash): no result stands, not even "none found". */
  measured: boolean;
}

/**
 * The effective limit of a model whose loadable limit is `loadable`: a grid of filled checks, refinement
 * between the last pass and the first fail, and repeats with fresh needles where recall is within the noise
 * of the threshold (see effective-plan.ts), at most `MAX_FILLED_PROBES` filled probes. Each probe loads at C
 * and fills C minus a reserve for the answers. The state is read from the run's `effective` probes before
 * every step, so a run resumed after a crash continues the search where it stood.
 */
export async function searchEffective(
  ctx: RunContext,
  run: RunRecord,
  hostUrl: string,
  model: ModelSummary,
  loadable: number,
): Promise<EffectiveSearch> {
  const threshold = run.options.recallThreshold;
  for (;;) {
    const probes = await ctx.store.listRunProbes(run.id);
    const history = readModelHistory(model, probes, "effective");
    if (history.modelError) {
      const why = history.modelError.errorMessage ?? history.modelError.errorCategory;
      return {
        result: { effectiveLimit: null, effectiveReason: `filled check failed: ${why}` },
        measured: false,
      };
    }
    const own = probes.filter((probe) => probe.modelId === model.id && probe.kind === "effective");
    const step = planEffective({
      loadable,
      threshold,
      floor: Math.min(run.options.verifyContext, loadable),
      precision: run.options.precision,
      samples: own.map(sampleOf).filter((sample) => sample !== null),
    });
    if (step.kind === "probe") {
      const ordinal = own.filter((probe) => probe.outcome !== null).length;
      const check = filledCheck(threshold, needleSeed(run.id, model.id, ordinal));
      await probeStep(ctx, hostUrl, model, step, history, { kind: "effective", check });
      continue;
    }
    return { result: resultOf(step.outcome, threshold, loadable, history.lastFailure), measured: true };
  }
}

/** Different for every probe of a run (a repeat is a fresh prompt), the same when an open probe is run again. */
export function needleSeed(runId: number, modelId: number, ordinal: number): number {
  return (
    (Math.imul(runId, 0x9e3779b1) ^ Math.imul(modelId, 0x85ebca6b) ^ Math.imul(ordinal + 1, 0xc2b2ae35)) >>> 0
  );
}

function resultOf(
  outcome: EffectiveOutcome,
  threshold: number,
  loadable: number,
  lastFailure: ProbeRecord | undefined,
): EffectiveResult {
  const { pass, fail, shortContext, range } = outcome;
  const spent = `${outcome.probes} filled probe${outcome.probes === 1 ? "" : "s"}${outcome.isBudgetSpent ? ` (the budget of ${MAX_FILLED_PROBES}, spent)` : ""}`;
  if (outcome.limit === null || pass === null || range === null) {
    const why =
      lastFailure?.errorMessage ??
      (lastFailure?.isTruncated
        ? "LM Studio silently truncated the prompt"
        : `recall ${share(fail?.recall ?? 0)} below the threshold of ${share(threshold)}`);
    const smallest = shortContext?.context ?? loadable;
    return {
      effectiveLimit: null,
      effectiveReason: `does not pass the filled check even at ${tokens(smallest)} tokens (${why}); ${spent}`,
    };
  }
  // On the fitted curve recall at the limit is the threshold itself; otherwise what the passing size recalled.
  const atLimit = outcome.fit ? threshold : pass.recall;
  const relative =
    shortContext && shortContext.recall > 0 && shortContext.context < pass.context
      ? `; short-context recall ${share(shortContext.recall)} at ${tokens(shortContext.context)} tokens, ${share(atLimit / shortContext.recall)} of it kept at the limit`
      : "";
  if (outcome.fit) {
    const { fit } = outcome;
    const measured = fail
      ? `; measured ${share(pass.recall)} at ${tokens(pass.promptTokens)} and ${share(fail.recall)} at ${tokens(fail.promptTokens)}`
      : "";
    return {
      effectiveLimit: fit.limit,
      effectiveReason: `the recall curve fitted through every filled probe (${share(recallAt(fit.measured.low, fit, threshold))} at ${tokens(fit.measured.low)} and ${share(recallAt(fit.measured.high, fit, threshold))} at ${tokens(fit.measured.high)} prompt tokens) crosses the threshold ${share(threshold)} at ${tokens(fit.limit)} prompt tokens: the limit lies in ${tokens(range.low)}–${tokens(range.high)} tokens (±1 standard error)${measured}${relative}; ${spent}`,
      effectiveRange: range,
    };
  }
  const measured = `reaches ${share(pass.recall)} recall (threshold ${share(threshold)})`;
  if (outcome.limit >= loadable) {
    return {
      effectiveLimit: loadable,
      effectiveReason: `${measured} with the window filled at the loadable limit${relative}; ${spent}`,
      effectiveRange: range,
    };
  }
  const below = fail
    ? `${share(fail.recall)}${fail.isHardFailure ? " (a failed check)" : ""} at ${tokens(range.high)}`
    : `not measured above it up to the loadable limit of ${tokens(range.high)}`;
  return {
    effectiveLimit: outcome.limit,
    effectiveReason: `${measured} with ${tokens(outcome.limit)} prompt tokens, ${below}: the limit lies in ${tokens(range.low)}–${tokens(range.high)} tokens${relative}; ${spent}`,
    effectiveRange: range,
  };
}
