/**
 * `pnpm bench:effective --simulate N`: the effective plan on every fleet model N times, each filled probe drawn
 * straight from the emulator's recall curve (one seeded draw per needle, at the depths a filled check asks at),
 * with no emulator, adapter or database in between. The full benchmark runs each model twice, which can tell
 * 60 % from 90 % of models but not 60 % from 70 %; N draws per model can. Same plan, same curve, same truth.
 */
import {
  answerReserve,
  checkDepthsOf,
  type FilledSample,
  filledCheckDepths,
  planEffective,
  seededRandom,
} from "@lmstrix/core";
import { type Fleet, largestContextWithRecall, recallProbability } from "@lmstrix/lmstudio-emulator";
import { TRUTH_DEPTHS } from "./effective-fleets";

export interface SimulatedFleet {
  runs: number;
  /** Runs whose limit is within `errorShare` of the truth. */
  accurate: number;
  /** Consecutive pairs of runs (1–2, 3–4, …) within `errorShare` of the truth of each other. */
  agreeingPairs: number;
  pairs: number;
  meanProbes: number;
  /** Per model: runs within the error, in model order. */
  perModel: { modelKey: string; accurate: number }[];
}

export function simulateEffective(options: {
  fleet: Fleet;
  threshold: number;
  runsPerModel: number;
  errorShare: number;
  /**
   * Needles per filled check, canaries included, at every size (for asking what another count would buy);
   * default: the engine's own, which grows with the window (`needleCount`).
   */
  needles?: number;
}): SimulatedFleet {
  const { fleet, threshold, runsPerModel, errorShare, needles } = options;
  const depthsAt = (context: number) =>
    needles === undefined ? filledCheckDepths(context) : checkDepthsOf(needles);
  const result: SimulatedFleet = {
    runs: 0,
    accurate: 0,
    agreeingPairs: 0,
    pairs: 0,
    meanProbes: 0,
    perModel: [],
  };
  let probes = 0;
  for (const [modelIndex, model] of fleet.models.entries()) {
    const curve = model.recall;
    if (model.type !== "llm" || curve === undefined) continue;
    const truth = largestContextWithRecall(
      curve,
      threshold,
      needles === undefined ? TRUTH_DEPTHS : checkDepthsOf(needles),
    );
    const found: number[] = [];
    for (let run = 0; run < runsPerModel; run++) {
      const random = seededRandom(1_000_003 * (modelIndex + 1) + run);
      const samples: FilledSample[] = [];
      for (;;) {
        const step = planEffective({ loadable: model.maxContextLength, threshold, floor: 2_048, samples });
        if (step.kind === "done") {
          found.push(step.outcome.limit ?? 0);
          break;
        }
        const promptTokens = step.context - answerReserve(step.context);
        const depths = depthsAt(step.context);
        const recalled = depths.filter(
          (depth) => random() < recallProbability(curve, promptTokens, depth),
        ).length;
        samples.push({
          context: step.context,
          promptTokens,
          recalled,
          needles: depths.length,
          isHardFailure: false,
        });
      }
      probes += samples.length;
    }
    const isClose = (a: number, b: number) => Math.abs(a - b) <= errorShare * Math.max(1, truth);
    const accurate = found.filter((limit) => isClose(limit, truth)).length;
    result.perModel.push({ modelKey: model.modelKey, accurate });
    result.accurate += accurate;
    result.runs += found.length;
    for (let index = 0; index + 1 < found.length; index += 2) {
      result.pairs++;
      if (isClose(found[index]!, found[index + 1]!)) result.agreeingPairs++;
    }
  }
  result.meanProbes = probes / Math.max(1, result.runs);
  return result;
}
