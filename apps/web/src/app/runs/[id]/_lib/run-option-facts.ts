import { describeAllSelection, type RunOptions } from "@lmstrix/core";
import type { Fact } from "../../../../components/facts";
import { formatCount, formatRecall } from "../../../../lib/format";
import { STRATEGY_LABELS } from "../../../../lib/run-options";

/**
 * What the run was asked to do, as the Run card lists it: the models, the search (strategy and threshold, or
 * the one fixed size), whether the effective check was on and with which recall threshold, and the precision
 * and reset when they were asked for. Options at their default that change nothing are left out.
 */
export function runOptionFacts(
  options: Pick<
    RunOptions,
    | "modelKeys"
    | "threshold"
    | "fixedContext"
    | "precision"
    | "reset"
    | "strategy"
    | "effective"
    | "recallThreshold"
  >,
): Fact[] {
  const facts: Fact[] = [
    ["Models", options.modelKeys.length > 0 ? options.modelKeys.join(", ") : describeAllSelection(options)],
  ];
  if (options.fixedContext !== undefined) {
    // One load at this size: no search, so no strategy, threshold nor precision.
    facts.push(["Fixed context", `${formatCount(options.fixedContext)} tokens`]);
  } else {
    facts.push(["Strategy", STRATEGY_LABELS[options.strategy] ?? options.strategy]);
    facts.push(["Threshold", `${formatCount(options.threshold)} tokens`]);
    if (options.precision !== undefined)
      facts.push(["Precision", `${formatCount(options.precision)} tokens`]);
  }
  facts.push(["Effective check", options.effective ? "on (fills the window)" : "off"]);
  if (options.effective) {
    facts.push(["Recall threshold", `${formatRecall(options.recallThreshold)} of the needles`]);
  }
  facts.push(["Reset", options.reset ? "yes" : "no"]);
  return facts;
}
