import { DEFAULT_RECALL_THRESHOLD } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { hiddenLoadableLimit } from "../memory.js";
import { depthAveragedRecall, largestContextWithRecall } from "../recall.js";
import { defaultFleet } from "./default-fleet.js";

describe("the built-in fleet's recall", () => {
  const fading = defaultFleet.models.filter((model) => model.recall !== undefined);

  it("has models whose recall fades, some of them lost in the middle and one with a weak base", () => {
    expect(fading.map((model) => model.modelKey).sort()).toEqual([
      "deepseek-r1-distill-llama-8b",
      "llama-3.2-3b-instruct-1m",
      "mistral-7b-instruct-v0.3",
      "mistral-nemo-instruct-2407",
      "smollm3-3b",
    ]);
    expect(fading.filter((model) => (model.recall?.middleDip ?? 0) > 0).length).toBeGreaterThanOrEqual(2);
    expect(fading.some((model) => (model.recall?.base ?? 1) < 0.95)).toBe(true);
  });

  it("crosses the default threshold inside what each model loads, so the demo measures an effective limit below it", () => {
    for (const model of fading) {
      const curve = model.recall!;
      const loadable = Math.min(model.maxContextLength, hiddenLoadableLimit(model, defaultFleet.memoryBytes));
      const truth = largestContextWithRecall(curve, DEFAULT_RECALL_THRESHOLD);
      // Past the first filled check (4,096), and with room above it for the search to see recall fall.
      expect(truth, model.modelKey).toBeGreaterThan(8_192);
      expect(truth, model.modelKey).toBeLessThan(0.8 * loadable);
      // A short prompt is recalled well above the threshold: the model is weak at length, not at reading.
      expect(depthAveragedRecall(curve, 2_048), model.modelKey).toBeGreaterThan(
        DEFAULT_RECALL_THRESHOLD + 0.04,
      );
    }
  });
});
