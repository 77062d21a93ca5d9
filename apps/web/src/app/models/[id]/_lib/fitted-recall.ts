import { type RecallFit, recallAt, recallFitOf } from "@lmstrix/core";
import type { EffectiveRun } from "./effective-runs";
import { filledFigures, type RecallProbe } from "./history";

/** The fitted curve as the chart draws it: recall (0–100 %) at evenly spaced prompt lengths. */
export interface FittedRecall {
  runId: number;
  threshold: number;
  fit: RecallFit;
  points: { promptTokens: number; recall: number }[];
}

/** Points along the curve: smooth at any chart width. */
const CURVE_STEPS = 48;

/**
 * The recall curve the run's effective limit was read off, fitted again through that run's filled checks by
 * the search's own fit (core's `recallFitOf`); drawn across the prompt lengths the run measured. Null where the
 * run's limit did not come from a curve (a cliff, a cut prompt, a plateau at the threshold keep to the
 * bracket), so the page never draws a curve the limit was not read off.
 */
export function fittedRecall(
  probes: readonly RecallProbe[],
  run: EffectiveRun | undefined,
): FittedRecall | null {
  if (!run || run.effectiveLimit === null) return null;
  // In the order the search read them (the fit is the same for any order, up to rounding).
  const own = probes
    .filter((probe) => probe.runId === run.runId && probe.kind === "effective")
    .sort((a, b) => a.id - b.id)
    .map(filledFigures);
  const fit = recallFitOf(own, run.recallThreshold);
  if (!fit || Math.abs(fit.limit - run.effectiveLimit) > Math.max(2, run.effectiveLimit / 1_000)) return null;
  // Across the prompt lengths the fit read (none at or past a cut prompt), never past them.
  const { low, high } = fit.measured;
  const points = Array.from({ length: CURVE_STEPS + 1 }, (_, step) => {
    const promptTokens = low + ((high - low) * step) / CURVE_STEPS;
    return {
      promptTokens: Math.round(promptTokens),
      recall: Math.round(recallAt(promptTokens, fit, run.recallThreshold) * 1000) / 10,
    };
  });
  return { runId: run.runId, threshold: run.recallThreshold, fit, points };
}
