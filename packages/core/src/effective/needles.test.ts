import { describe, expect, it } from "vitest";
import { describeNeedles } from "../engine/filled-check";
import { assemble, buildFilledPrompt } from "./filled-prompt";
import {
  answerReserve,
  filledCheckDepths,
  filledMaxTokens,
  MAX_NEEDLES,
  MIN_NEEDLES,
  makeNeedles,
  needleCount,
  needleDepths,
} from "./needles";

/** A strict stand-in tokenizer: every word, every digit and every other sign a token (as the emulator counts). */
const strictCount = async (text: string) => (text.match(/[\p{L}]+|\p{N}|[^\s\p{L}\p{N}]/gu) ?? []).length;

const WINDOWS = [1_024, 2_048, 3_000, 4_096, 8_192, 16_384, 32_768, 131_072, 262_144];

describe("needles per filled check", () => {
  it("grows with the window: 16 per 1,024 tokens, from 16 to 256", () => {
    expect(WINDOWS.map(needleCount)).toEqual([16, 32, 32, 64, 128, 256, 256, 256, 256]);
    expect(needleCount(500)).toBe(MIN_NEEDLES);
    expect(needleCount(10_000_000)).toBe(MAX_NEEDLES);
    expect(filledCheckDepths(8_192)).toHaveLength(128);
  });

  it("spreads the depths evenly inside the prompt, canaries at its head and tail", () => {
    const depths = filledCheckDepths(4_096);
    expect(depths[0]).toBe(0);
    expect(depths.at(-1)).toBe(1);
    const inner = depths.slice(1, -1);
    const gaps = inner.slice(1).map((depth, index) => depth - inner[index]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(1 / inner.length, 12);
    expect(inner[0]).toBeCloseTo(0.5 / inner.length, 12);
  });

  it("gives every needle of the largest check its own name and code, no digit in a name", () => {
    const needles = makeNeedles(needleDepths(MAX_NEEDLES), 3);
    expect(new Set(needles.map((needle) => needle.question)).size).toBe(MAX_NEEDLES);
    expect(new Set(needles.map((needle) => needle.answer)).size).toBe(MAX_NEEDLES);
    for (const needle of needles) expect(needle.question.replace(/\d/g, "")).toBe(needle.question);
  });

  it("fits in every window with room for its answers, needles and questions at most half the prompt", async () => {
    for (const window of WINDOWS) {
      const needles = makeNeedles(needleDepths(needleCount(window)), 1);
      expect(answerReserve(window)).toBeGreaterThanOrEqual(filledMaxTokens(needles.length) + 64);
      const prompt = await buildFilledPrompt(window - answerReserve(window), needles, strictCount);
      expect(await strictCount(assemble([], needles))).toBeLessThanOrEqual(prompt.tokens / 2);
    }
  });

  it("fills the window less the reserve to within a sentence or 0.5 %, whatever the seed", async () => {
    // The effective limit is the prompt's tokens: a prompt that stopped short would under-report the window.
    for (let seed = 1; seed <= 25; seed++) {
      for (const window of [4_096, 8_192, 16_384, 24_576, 43_264, 49_152]) {
        const target = window - answerReserve(window);
        const prompt = await buildFilledPrompt(
          target,
          makeNeedles(needleDepths(needleCount(window)), seed),
          strictCount,
          seed,
        );
        expect(prompt.tokens).toBeLessThanOrEqual(target);
        expect(target - prompt.tokens).toBeLessThanOrEqual(Math.max(24, Math.ceil(target * 0.005)));
      }
    }
  });

  it("puts each needle at its depth of the text before the questions, more needles than paragraphs too", async () => {
    for (const window of [4_096, 16_384, 65_536]) {
      const needles = makeNeedles(needleDepths(needleCount(window)), 3);
      const prompt = await buildFilledPrompt(window - answerReserve(window), needles, strictCount, 3);
      const documentEnd = prompt.text.indexOf("What is the secret code");
      const documentTokens = await strictCount(prompt.text.slice(0, documentEnd));
      for (const needle of needles) {
        const before = await strictCount(prompt.text.slice(0, prompt.text.indexOf(needle.fact)));
        expect(Math.abs(before / documentTokens - needle.depth), needle.fact).toBeLessThan(0.04);
      }
    }
  });

  it("describes a check of up to 16 needles depth by depth, a larger one by its spread", () => {
    expect(describeNeedles(makeNeedles([0.25, 0.75]))).toBe("4 needles (0%, 25%, 75%, 100%)");
    expect(describeNeedles(makeNeedles(needleDepths(64)))).toBe(
      "64 needles (canaries at 0% and 100%, 62 spread from 0.8% to 99.2%)",
    );
  });
});
