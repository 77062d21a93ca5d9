import { runOptionsSchema } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { runOptionFacts } from "./run-option-facts";

const options = (input: Parameters<typeof runOptionsSchema.parse>[0]) => runOptionsSchema.parse(input);

describe("runOptionFacts", () => {
  it("lists the strategy, threshold and an effective check that is off", () => {
    expect(runOptionFacts(options({ modelKeys: ["qwen3-4b"] }))).toEqual([
      ["Models", "qwen3-4b"],
      ["Strategy", "fit: fewer loads (predicts, then verifies)"],
      ["Threshold", "31,744 tokens"],
      ["Effective check", "off"],
      ["Reset", "no"],
    ]);
  });

  it("gives the recall threshold and the precision of a run with the effective check", () => {
    expect(
      runOptionFacts(
        options({ strategy: "lmstrix", effective: true, recallThreshold: 0.8, precision: 512, reset: true }),
      ),
    ).toEqual([
      ["Models", "all LLMs"],
      ["Strategy", "lmstrix: the Python tool's (step up, then bisect)"],
      ["Threshold", "31,744 tokens"],
      ["Precision", "512 tokens"],
      ["Effective check", "on (fills the window)"],
      ["Recall threshold", "80% of the needles"],
      ["Reset", "yes"],
    ]);
  });

  it("gives RULER's default recall threshold as it is, not rounded to another", () => {
    const facts = runOptionFacts(options({ effective: true, recallThreshold: 0.856 }));
    expect(facts).toContainEqual(["Recall threshold", "85.6% of the needles"]);
  });

  it("gives the fixed context instead of a search", () => {
    expect(runOptionFacts(options({ modelKeys: ["a", "b"], fixedContext: 8_192 }))).toEqual([
      ["Models", "a, b"],
      ["Fixed context", "8,192 tokens"],
      ["Effective check", "off"],
      ["Reset", "no"],
    ]);
  });

  it("says which models a run of all of them takes: those without a completed test, unless reset", () => {
    expect(runOptionFacts(options({}))[0]).toEqual(["Models", "all LLMs without a completed test"]);
    expect(runOptionFacts(options({ reset: true }))[0]).toEqual(["Models", "all LLMs"]);
  });
});
