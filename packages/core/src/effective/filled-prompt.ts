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

/**
 * Places each needle at its depth, between paragraphs (canaries first and last): after the share `depth` of
 * the paragraphs, counted in the haystack as given — a check can ask more needles than there are paragraphs,
 * and counting the needles already placed would push the shallower ones deep.
 */
export function assemble(paragraphs: readonly string[], needles: readonly Needle[]): string {
  const inner = needles.filter((needle) => !needle.isCanary).sort((a, b) => a.depth - b.depth);
  const body: string[] = [];
  let next = 0;
  for (let index = 0; index <= paragraphs.length; index++) {
    while (next < inner.length && Math.round(inner[next]!.depth * paragraphs.length) <= index) {
      body.push(inner[next]!.fact);
      next++;
    }
    if (index < paragraphs.length) body.push(paragraphs[index]!);
  }
  const head = needles.filter((needle) => needle.isCanary && needle.depth === 0).map((needle) => needle.fact);
  const tail = needles.filter((needle) => needle.isCanary && needle.depth === 1).map((needle) => needle.fact);
  return [INSTRUCTIONS, ...head, ...body, ...tail, questionsFor(needles)].join("\n\n");
}

/** About a word of filler, in characters: the finest step between two haystacks. */
const WORD_CHARS = 6;

/**
 * How far below its target a prompt may stop: a sentence or so, or 0.5 %. The effective limit is the prompt's
 * tokens, so a prompt that stops short would measure a limit short of the window that was proven.
 */
function fillSlack(targetTokens: number): number {
  return Math.max(24, Math.ceil(targetTokens * 0.005));
}

/**
 * Builds a prompt of at most `targetTokens` tokens (and within `fillSlack` of it when the target allows), counted
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
  // The sizes tried so far that came out below and above the target: the next lies between them.
  let under = { chars: 0, tokens: fixedTokens };
  let over: { chars: number; tokens: number } | null = null;
  // The ratio of the sample is close; a few corrections make up for where the haystack's mix differs.
  for (
    let attempt = 0;
    attempt < 8 && chars > under.chars && (over === null || chars < over.chars);
    attempt++
  ) {
    const text = assemble(haystackParagraphs(chars, seed), needles);
    const tokens = await countTokens(text);
    if (tokens <= targetTokens && tokens > best.tokens) best = { text, tokens, needles: [...needles] };
    if (tokens <= targetTokens && targetTokens - tokens <= fillSlack(targetTokens)) break;
    if (tokens <= targetTokens) under = { chars, tokens };
    else over = { chars, tokens };
    const next =
      over === null
        ? // Only the haystack scales with `chars`: the needles and questions are a fixed part.
          chars * ((targetTokens - fixedTokens) / Math.max(1, tokens - fixedTokens))
        : under.chars +
          ((over.chars - under.chars) * (targetTokens - under.tokens)) /
            Math.max(1, over.tokens - under.tokens);
    // Always a word's worth inside the bracket, so that each attempt tries another text.
    chars = Math.floor(
      Math.min(Math.max(next, under.chars + WORD_CHARS), (over?.chars ?? Infinity) - WORD_CHARS),
    );
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
