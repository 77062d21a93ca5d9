/**
 * `pnpm bench:effective --simulate N`: the effective plan on every fleet model N times, each filled probe drawn
 * straight from the emulator's recall curve (one seeded draw per needle, at the depths a filled check asks at),
 * with no emulator, adapter or database in between. The full benchmark runs each model twice, which can tell
 * 60 % from 90 % of models but not 60 % from 70 %; N draws per model can. Same plan, same curve, same truth.
 */
import {
  answerReserve,
  FILLED_CHECK_DEPTHS,
  type FilledSample,
  planEffective,
  seededRandom,
} from "@lmstrix/core";
import { type Fleet, largestContextWithRecall, recallProbability } from "@lmstrix/lmstudio-emulator";

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

/**
 * The depths of a filled check of `needles` needles: the two canaries (0 and 1) and the rest spread evenly, as
 * FILLED_CHECK_DEPTHS spreads its 14. For asking what more evidence per probe would buy (`--needles`).
 */
export function checkDepths(needles: number): readonly number[] {
  if (needles === FILLED_CHECK_DEPTHS.length) return FILLED_CHECK_DEPTHS;
  const inner = needles - 2;
  return [0, ...Array.from({ length: inner }, (_, index) => (index + 0.5) / inner), 1];
}

export function simulateEffective(options: {
  fleet: Fleet;
  threshold: number;
  runsPerModel: number;
  errorShare: number;
  /** Depths of each filled check's needles (default: the engine's own, FILLED_CHECK_DEPTHS). */
  depths?: readonly number[];
}): SimulatedFleet {
  const { fleet, threshold, runsPerModel, errorShare, depths = FILLED_CHECK_DEPTHS } = options;
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
    const truth = largestContextWithRecall(curve, threshold, depths);
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
