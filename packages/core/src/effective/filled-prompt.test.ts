import { describe, expect, it } from "vitest";
import { countWords } from "../testing/simulated-replies";
import { assemble, buildFilledPrompt, scoreRecall } from "./filled-prompt";
import { haystackParagraphs } from "./haystack";
import { makeNeedles } from "./needles";

const count = async (text: string) => countWords(text);

describe("filled-context prompt", () => {
  it("fills the target within 3 % without going over, for small and large targets", async () => {
    for (const target of [2_000, 30_000, 120_000]) {
      const prompt = await buildFilledPrompt(target, makeNeedles(), count);
      expect(prompt.tokens).toBeLessThanOrEqual(target);
      expect(prompt.tokens).toBeGreaterThanOrEqual(target * 0.97);
      expect(prompt.tokens).toBe(countWords(prompt.text));
    }
  });

  it("is the same text on every call (deterministic haystack and needles)", async () => {
    const a = await buildFilledPrompt(5_000, makeNeedles(), count);
    const b = await buildFilledPrompt(5_000, makeNeedles(), count);
    expect(a.text).toBe(b.text);
  });

  it("puts canaries at the head and tail and the needles at their depths, in order", () => {
    const needles = makeNeedles([0.1, 0.5, 0.9]);
    const text = assemble(haystackParagraphs(50_000), needles);
    const positions = needles.map((needle) => text.indexOf(needle.fact) / text.length);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(positions[0]).toBeLessThan(0.01);
    expect(positions[2]).toBeGreaterThan(0.4);
    expect(positions[2]).toBeLessThan(0.6);
    expect(positions.at(-1)).toBeGreaterThan(0.97);
  });

  it("keeps digits out of the haystack, so only needles carry numbers", () => {
    expect(haystackParagraphs(20_000).join(" ")).not.toMatch(/\d/);
  });

  it("refuses a target smaller than the instructions and questions", async () => {
    await expect(buildFilledPrompt(20, makeNeedles(), count)).rejects.toThrow(/too small/);
  });
});

describe("scoreRecall", () => {
  const needles = makeNeedles([0.5]);
  it("counts whole codes in any order and flags a missing canary as truncation", () => {
    const all = needles
      .map((needle) => needle.answer)
      .reverse()
      .join("\n");
    expect(scoreRecall(all, needles)).toMatchObject({ found: 3, recall: 1, isTruncationSuspected: false });
    const withoutHead = needles
      .slice(1)
      .map((needle) => needle.answer)
      .join(" ");
    expect(scoreRecall(withoutHead, needles)).toMatchObject({ found: 2, isTruncationSuspected: true });
    expect(scoreRecall("I do not remember.", needles).recall).toBe(0);
  });

  it("tells, needle by needle in the prompt's order, where it sat and whether it was recalled", () => {
    const three = makeNeedles([0.2, 0.5, 0.8]);
    const reply = [three[0], three[2], three[4]].map((needle) => needle!.answer).join("\n");
    const score = scoreRecall(reply, three);
    expect(score.needles).toEqual([
      { depth: 0, recalled: true, isCanary: true },
      { depth: 0.2, recalled: false, isCanary: false },
      { depth: 0.5, recalled: true, isCanary: false },
      { depth: 0.8, recalled: false, isCanary: false },
      { depth: 1, recalled: true, isCanary: true },
    ]);
    expect(score.needles.filter((needle) => needle.recalled).length / score.needles.length).toBe(
      score.recall,
    );
  });
});
