import type { NeedleOutcome } from "../domain/probe";
import { haystackParagraphs } from "./haystack";
import type { Needle } from "./needles";

export interface FilledPrompt {
  /** The whole user message: instructions, haystack with needles, questions. */
  text: string;
  /** Tokens of `text` in the model's own tokenizer. */
  tokens: number;
  needles: Needle[];
}

const INSTRUCTIONS =
  "Read the following text carefully. Some sentences state secret codes. After the text you will be asked for them.";

function questionsFor(needles: readonly Needle[]): string {
  const questions = needles.map((needle) => needle.question).join("\n");
  return `Answer each question with the code only, one answer per line, in the same order.\n${questions}`;
}

/** Places each needle at its depth, between paragraphs (canaries first and last). */
export function assemble(paragraphs: readonly string[], needles: readonly Needle[]): string {
  const body = [...paragraphs];
  const inner = needles.filter((needle) => !needle.isCanary).sort((a, b) => b.depth - a.depth);
  for (const needle of inner) body.splice(Math.round(needle.depth * body.length), 0, needle.fact);
  const head = needles.filter((needle) => needle.isCanary && needle.depth === 0).map((needle) => needle.fact);
  const tail = needles.filter((needle) => needle.isCanary && needle.depth === 1).map((needle) => needle.fact);
  return [INSTRUCTIONS, ...head, ...body, ...tail, questionsFor(needles)].join("\n\n");
}

/**
 * Builds a prompt of at most `targetTokens` tokens (and at least 97 % of it when the target allows), counted
 * with the model's own tokenizer — never characters / 4: tokenizers differ by a factor of two between models.
 */
export async function buildFilledPrompt(
  targetTokens: number,
  needles: readonly Needle[],
  countTokens: (text: string) => Promise<number>,
  seed = 1,
): Promise<FilledPrompt> {
  const fixed = assemble([], needles);
  const fixedTokens = await countTokens(fixed);
  if (fixedTokens > targetTokens) {
    throw new Error(`A filled check needs at least ${fixedTokens} tokens; ${targetTokens} is too small`);
  }
  const sample = haystackParagraphs(4_000, seed).join("\n\n");
  const charsPerToken = sample.length / Math.max(1, await countTokens(sample));
  let chars = Math.floor((targetTokens - fixedTokens) * charsPerToken);
  let best: FilledPrompt = { text: fixed, tokens: fixedTokens, needles: [...needles] };
  // The ratio of the sample is close; a few corrections make up for where the haystack's mix differs.
  for (let attempt = 0; attempt < 6 && chars > 0; attempt += 1) {
    const text = assemble(haystackParagraphs(chars, seed), needles);
    const tokens = await countTokens(text);
    if (tokens <= targetTokens && tokens > best.tokens) best = { text, tokens, needles: [...needles] };
    if (tokens <= targetTokens && tokens >= targetTokens * 0.97) break;
    chars = Math.floor(chars * (targetTokens / tokens) * (tokens > targetTokens ? 0.99 : 1));
  }
  return best;
}

export interface RecallScore {
  found: number;
  total: number;
  recall: number;
  missing: string[];
  /** A canary was not recalled: the start or end of the prompt probably never reached the model. */
  isTruncationSuspected: boolean;
  /** Each needle, in the prompt's order: its depth and whether the reply recalled it (the recall map's cells). */
  needles: NeedleOutcome[];
}

/** How many needles the reply recalls (whole codes, any order). Canaries count towards recall too. */
export function scoreRecall(reply: string, needles: readonly Needle[]): RecallScore {
  const codes = new Set(reply.match(/\d+/g) ?? []);
  const missing = needles.filter((needle) => !codes.has(needle.answer));
  return {
    found: needles.length - missing.length,
    total: needles.length,
    recall: (needles.length - missing.length) / needles.length,
    missing: missing.map((needle) => needle.question),
    isTruncationSuspected: missing.some((needle) => needle.isCanary),
    needles: needles.map((needle) => ({
      depth: needle.depth,
      recalled: codes.has(needle.answer),
      isCanary: needle.isCanary,
    })),
  };
}
