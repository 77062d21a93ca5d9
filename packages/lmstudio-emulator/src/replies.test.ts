import { describe, expect, test } from "vitest";
import { needlePrompt } from "../test/support/needle-prompt.js";
import { tokensBeforeEach } from "./fact-recall.js";
import { generateReply, parseNumberWords, recallFact, recallFacts } from "./replies.js";
import { countTokens } from "./tokenizer.js";

const reply = (question: string, degraded = false, context = question) =>
  generateReply({ question, context, degraded, seed: 1 });

describe("generateReply", () => {
  test("answers the context-test prompts", () => {
    expect(reply("Write 'ninety-six' as a number using only digits")).toBe("96");
    expect(reply("2+3=")).toBe("5");
    expect(reply("What is 7 * 6?")).toBe("42");
  });

  test("recalls `The <name> is <value>.` facts asked as `What is the <name>?`", () => {
    const context = "Filler. The secret code for Paris is 4821. More filler. The colour of the door is blue.";
    expect(recallFact("What is the secret code for Paris?", context)).toBe("4821");
    expect(recallFact("what is the colour of the door?", context)).toBe("blue");
    expect(recallFact("What is the capital of Mars?", context)).toBeNull();
  });

  test("a fact stated twice is answered with its last statement; an unknown one as unknown", () => {
    const context = "The code for Oslo is 111. Filler. The code for Oslo is 222.";
    expect(recallFacts("What is the code for Oslo?\nWhat is the code for Lima?", context)).toBe(
      "222\nunknown",
    );
  });

  test("the tokens before each fact, counted in one pass for all facts, equal the prefix counted anew", () => {
    const depths = Array.from({ length: 40 }, (_, index) => (index + 0.5) / 40);
    for (const separator of [" ", "\n\n", ""]) {
      const { text } = needlePrompt(6_000, depths, 7);
      const context = text.replaceAll(" The secret", `${separator}The secret`);
      const starts = [...context.matchAll(/The secret code/g)].map((match) => match.index);
      expect(starts).toHaveLength(40);
      const tokensBefore = tokensBeforeEach(context, starts);
      for (const start of starts) expect(tokensBefore.get(start)).toBe(countTokens(context.slice(0, start)));
    }
  });

  test("other prompts get a short digit-free generic answer, deterministically", () => {
    const answer = reply("Tell me about yourself.");
    expect(answer).toBe(reply("Tell me about yourself."));
    expect(answer).not.toMatch(/\d/);
  });

  test("degraded answers ramble without digits", () => {
    for (const question of [
      "2+3=",
      "Write 'ninety-six' as a number using only digits",
      "What is the code?",
    ]) {
      const answer = reply(question, true);
      expect(answer).not.toMatch(/\d/);
      expect(answer.split(" ").length).toBeGreaterThan(5);
    }
  });
});

test("parseNumberWords", () => {
  expect(parseNumberWords("ninety-six")).toBe(96);
  expect(parseNumberWords("two hundred and five")).toBe(205);
  expect(parseNumberWords("three thousand four hundred")).toBe(3400);
  expect(parseNumberWords("banana")).toBeNull();
});

describe("several recall questions at once", () => {
  test("answers each on its own line, in order", () => {
    const context = "The secret code for Oslo is 12345. Filler. The secret code for Lima is 67890.";
    const question =
      "Answer each.\nWhat is the secret code for Lima?\nWhat is the secret code for Oslo?\nWhat is the secret code for Rome?";
    expect(generateReply({ question, context: `${context}\n${question}`, degraded: false, seed: 1 })).toBe(
      "67890\n12345\nunknown",
    );
  });
});
