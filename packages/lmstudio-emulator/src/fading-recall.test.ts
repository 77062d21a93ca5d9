import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { needlePrompt } from "../test/support/needle-prompt.js";
import { createStrictClient, type StrictClient } from "../test/support/strict-client.js";
import { GiB, llm } from "../test/support/test-fleet.js";
import type { FleetInput } from "./fleet/schema.js";
import { recallProbability } from "./recall.js";
import { type Emulator, startEmulator } from "./server.js";
import { countTokens } from "./tokenizer.js";

const CURVE = { at50: 3_000, width: 400, middleDip: 0.6, base: 0.9 };

const recallFleet: FleetInput = {
  memoryBytes: 16 * GiB,
  models: [
    llm("fading", { recall: CURVE }),
    // The cliff still works beside a curve: past effectiveContext the model rambles.
    llm("fading-cliff", { recall: CURVE, effectiveContext: 3_000 }),
    llm("sharp", {}),
  ],
};

let emulator: Emulator;
let sdk: StrictClient;

async function start(seed = 1) {
  emulator = await startEmulator({ fleet: recallFleet, timeScale: 0, seed });
  sdk = createStrictClient(emulator.url);
}

beforeEach(() => start());

afterEach(async () => {
  await sdk.dispose();
  await emulator.close();
  expect(sdk.problems).toEqual([]);
});

const load = (key: string) => sdk.client.llm.load(key, { config: { contextLength: 8_192 }, verbose: false });

/** Each needle of a prompt: recalled or not, and the probability the curve gives it in this prompt. */
function scoreNeedles(
  prompt: ReturnType<typeof needlePrompt>,
  reply: { content: string; stats: { promptTokensCount?: number } },
) {
  const promptTokens = reply.stats.promptTokensCount ?? 0;
  const lines = reply.content.split("\n");
  expect(lines).toHaveLength(prompt.needles.length);
  return prompt.needles.map((needle, index) => {
    // Depth as the model sees it: the share of the document's tokens before the fact (the questions follow it).
    const factStart = prompt.text.indexOf(`The secret code for Place-${index} is`);
    const documentEnd = prompt.text.indexOf("What is the secret code");
    const depth =
      countTokens(prompt.text.slice(0, factStart)) / countTokens(prompt.text.slice(0, documentEnd));
    return {
      nominalDepth: needle.depth,
      isRecalled: lines[index] === needle.code,
      probability: recallProbability(CURVE, promptTokens, depth),
    };
  });
}

/** Four needles at each of these depths per prompt. */
const DEPTHS = [0.1, 0.5, 0.9] as const;
const NEEDLE_DEPTHS = DEPTHS.flatMap((depth) => [depth, depth, depth, depth]);

describe("recall that fades (a model's recall curve)", () => {
  test("recall frequencies over many needles follow the curve at each length and depth", async () => {
    const model = await load("fading");
    for (const length of [2_400, 3_000, 3_600]) {
      const cells = new Map<number, { recalled: number; expected: number; total: number }>();
      for (let seed = 1; seed <= 100; seed++) {
        const prompt = needlePrompt(length, NEEDLE_DEPTHS, length * 1_000 + seed);
        const reply = await model.complete(prompt.text);
        expect(Math.abs((reply.stats.promptTokensCount ?? 0) - length)).toBeLessThan(20);
        for (const { nominalDepth, isRecalled, probability } of scoreNeedles(prompt, reply)) {
          const cell = cells.get(nominalDepth) ?? { recalled: 0, expected: 0, total: 0 };
          cell.total++;
          cell.expected += probability;
          if (isRecalled) cell.recalled++;
          cells.set(nominalDepth, cell);
        }
      }
      for (const [depth, { recalled, expected, total }] of cells) {
        const p = expected / total;
        const observed = recalled / total;
        // Four standard deviations of a binomial share over 400 needles.
        expect(Math.abs(observed - p), `L ${length}, depth ${depth}: ${observed} vs ${p}`).toBeLessThan(
          4 * Math.sqrt((p * (1 - p)) / total) + 0.01,
        );
      }
    }
  });

  test("depth is a share of the document the questions follow, however many questions follow it", async () => {
    const model = await load("fading");
    let recalled = 0;
    let expected = 0;
    let total = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const prompt = needlePrompt(1_000, [0.98, 0.98, 0.98, 0.98], seed);
      // Sixty more questions (of facts the prompt does not state) after the four: a third of the prompt.
      const extra = Array.from({ length: 60 }, (_, index) => `What is the secret code for Nowhere-${index}?`);
      const text = `${prompt.text}\n${extra.join("\n")}`;
      const reply = await model.complete(text);
      const promptTokens = reply.stats.promptTokensCount ?? 0;
      const lines = reply.content.split("\n");
      expect(lines).toHaveLength(64);
      expect(lines.slice(4).every((line) => line === "unknown")).toBe(true);
      prompt.needles.forEach((needle, index) => {
        total++;
        if (lines[index] === needle.code) recalled++;
        expected += recallProbability(CURVE, promptTokens, 0.98);
      });
    }
    const p = expected / total;
    // At the end of the document the dip is gone (sin(0.98π) ≈ 0.06); at its share of the whole prompt
    // (about 0.6) the dip would take half of the recall.
    expect(Math.abs(recalled / total - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / total) + 0.01);
    expect(p).toBeGreaterThan(0.8);
  });

  test("a forgotten needle gets a wrong code of the same shape or an admission, never another needle's code", async () => {
    const model = await load("fading");
    const forgotten: string[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const prompt = needlePrompt(3_300, NEEDLE_DEPTHS, seed);
      const lines = (await model.complete(prompt.text)).content.split("\n");
      const codes = new Set(prompt.needles.map((needle) => needle.code));
      prompt.needles.forEach((needle, index) => {
        const line = lines[index] ?? "";
        if (line !== needle.code) {
          expect(codes.has(line), `${line} is another needle's code`).toBe(false);
          forgotten.push(line);
        }
      });
    }
    expect(forgotten.length).toBeGreaterThan(50);
    expect(forgotten.some((line) => /^\d{5}$/.test(line))).toBe(true);
    expect(forgotten.some((line) => line === "I do not remember.")).toBe(true);
    expect(forgotten.every((line) => /^\d{5}$/.test(line) || line === "I do not remember.")).toBe(true);
  });

  test("one prompt always gets one answer; different prompts and seeds draw afresh", async () => {
    const model = await load("fading");
    const answers = async (seed: number) =>
      (await model.complete(needlePrompt(3_000, NEEDLE_DEPTHS, seed).text)).content;
    const first = await answers(7);
    expect(await answers(7)).toBe(first);
    const others = await Promise.all([8, 9, 10, 11, 12].map(answers));
    // Which needles are recalled differs between prompts, not only the codes asked for.
    const pattern = (content: string, seed: number) =>
      needlePrompt(3_000, NEEDLE_DEPTHS, seed)
        .needles.map((needle, index) => (content.split("\n")[index] === needle.code ? "1" : "0"))
        .join("");
    const patterns = new Set([pattern(first, 7), ...others.map((content, i) => pattern(content, 8 + i))]);
    expect(patterns.size).toBeGreaterThan(1);

    // The same prompt on an emulator with another seed: another draw.
    await sdk.dispose();
    await emulator.close();
    await start(2);
    const reseeded = await load("fading");
    const again = await reseeded.complete(needlePrompt(3_000, NEEDLE_DEPTHS, 7).text);
    expect(again.content).not.toBe(first);
  });

  test("short prompts keep the model's base recall; a model without a curve recalls everything", async () => {
    const fading = await load("fading");
    const sharp = await load("sharp");
    let recalled = 0;
    let expected = 0;
    let total = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const prompt = needlePrompt(600, NEEDLE_DEPTHS, seed);
      const needles = scoreNeedles(prompt, await fading.complete(prompt.text));
      const sharpLines = (await sharp.complete(prompt.text)).content.split("\n");
      expect(sharpLines).toEqual(prompt.needles.map((needle) => needle.code));
      for (const { isRecalled, probability } of needles) {
        total++;
        expected += probability;
        if (isRecalled) recalled++;
        // So short a prompt is far from at50: only the base and the dip cost recall.
        expect(probability).toBeGreaterThan(0.9 * (1 - 0.6) * 0.99);
      }
    }
    const p = expected / total;
    expect(Math.abs(recalled / total - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / total) + 0.01);
    // The short checks of a loadable-limit probe are not needle questions: they stay right.
    expect((await fading.respond("2+3=")).content).toBe("5");
  });

  test("effectiveContext still cuts a curve off: a longer prompt gets the digit-free ramble", async () => {
    const model = await load("fading-cliff");
    const reply = await model.complete(needlePrompt(3_500, NEEDLE_DEPTHS, 1).text);
    expect(reply.content).not.toMatch(/\d/);
  });
});
