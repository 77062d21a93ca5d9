import { CHECK_PROMPTS } from "@lmstrix/core";
import { describe, expect, it } from "vitest";
import { probeQuestions } from "./probe-checks";

const [NINETY_SIX, TWO_PLUS_THREE] = CHECK_PROMPTS;

describe("probeQuestions", () => {
  it("pairs each short check with its expected number", () => {
    expect(probeQuestions("loadable", `${NINETY_SIX.prompt}\n${TWO_PLUS_THREE.prompt}`, "96\n5")).toEqual({
      check: "short",
      description: null,
      questions: [
        { question: NINETY_SIX.prompt, expected: "96" },
        { question: TWO_PLUS_THREE.prompt, expected: "5" },
      ],
    });
  });

  it("keeps a filled check's description apart and pairs each needle question with its code", () => {
    const prompt = [
      "Filled prompt of 15,900 tokens: 3 needles (0%, 50%, 100%)",
      "What is the secret code for the opening gate?",
      "What is the secret code for Lisbon?",
      "What is the secret code for the closing gate?",
    ].join("\n");
    expect(probeQuestions("effective", prompt, "10234\n55555\n98765")).toEqual({
      check: "filled",
      description: "Filled prompt of 15,900 tokens: 3 needles (0%, 50%, 100%)",
      questions: [
        { question: "What is the secret code for the opening gate?", expected: "10234" },
        { question: "What is the secret code for Lisbon?", expected: "55555" },
        { question: "What is the secret code for the closing gate?", expected: "98765" },
      ],
    });
  });

  it("reads probes stored before the expected answer was kept", () => {
    expect(probeQuestions("loadable", NINETY_SIX.prompt, null).questions).toEqual([
      { question: NINETY_SIX.prompt, expected: "96" },
    ]);
    expect(
      probeQuestions("effective", "Filled prompt of 900 tokens\nWhat is the secret code for Oslo?", null)
        .questions,
    ).toEqual([{ question: "What is the secret code for Oslo?", expected: null }]);
  });

  it("has no questions for a probe that asked nothing (the load failed)", () => {
    expect(probeQuestions("loadable", null, null)).toEqual({
      check: "short",
      description: null,
      questions: [],
    });
    expect(probeQuestions("effective", null, null)).toEqual({
      check: "filled",
      description: null,
      questions: [],
    });
  });
});
