import { createRandom } from "../../src/prng.js";
import { countTokens } from "../../src/tokenizer.js";

/** Filler without digits and without " is ": nothing in it reads as a fact or a code. */
const FILLER = [
  "A quiet wind moved over the hills.",
  "Nobody walked along the shore that day.",
  "The baker opened his shop before dawn.",
  "Two herons watched the river from the reeds.",
  "An old map hung above the fireplace.",
  "Rain fell softly on the slate roofs.",
  "The choir sang until the lamps went out.",
  "A cart rolled slowly down the lane.",
] as const;

export interface PlacedNeedle {
  question: string;
  code: string;
  /** The depth asked for: where in the filler the fact was put (0 = start, 1 = end). */
  depth: number;
}

/**
 * A raw prompt of about `targetTokens` tokens: filler with one needle ("The secret code for Place-k is N.")
 * per entry of `depths`, then every question, one per line. Distinct `seed`s give distinct filler and codes.
 */
export function needlePrompt(
  targetTokens: number,
  depths: readonly number[],
  seed: number,
): { text: string; needles: PlacedNeedle[] } {
  const random = createRandom(seed);
  const needles = depths.map((depth, index) => ({
    question: `What is the secret code for Place-${index}?`,
    code: String(10_000 + Math.floor(random() * 90_000)),
    depth,
  }));
  const questions = `\n${needles.map((needle) => needle.question).join("\n")}`;
  const facts = needles.map((needle, index) => ` The secret code for Place-${index} is ${needle.code}.`);
  let budget =
    targetTokens - countTokens(questions) - facts.reduce((sum, fact) => sum + countTokens(fact), 0);
  const sentences: string[] = [];
  while (budget > 0) {
    const sentence = ` ${FILLER[Math.floor(random() * FILLER.length)]}`;
    sentences.push(sentence);
    budget -= countTokens(sentence);
  }
  // Deepest first, so that earlier insertions do not move the later ones.
  const order = needles
    .map((_, index) => index)
    .sort((a, b) => (needles[b]?.depth ?? 0) - (needles[a]?.depth ?? 0));
  for (const index of order) {
    sentences.splice(Math.round((needles[index]?.depth ?? 0) * sentences.length), 0, facts[index] ?? "");
  }
  return { text: `${sentences.join("").trimStart()}${questions}`, needles };
}
