import { hashString, type Random, randomFor } from "./prng.js";
import { type RecallCurve, recallProbability } from "./recall.js";
import { countTokens } from "./tokenizer.js";

const FACT_PATTERN = /\bthe ([^.!?\n]{1,160}?) is ([^\n]{1,200}?)\.(?=\s|$)/gi;
const QUESTION_PATTERN = /\bwhat is the ([^?\n]{1,160})\?/i;

/** A fact as the prompt states it: "The secret code for Oslo is 48213." at character `index`. */
interface StatedFact {
  name: string;
  value: string;
  index: number;
}

/** How a model with fading recall answers a fact it was told: the value, or what it makes of it instead. */
export type FactAnswerer = (fact: StatedFact) => string;

function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Every fact the context states, by name (the last statement of a name wins), found in one pass over the
 * context: a filled check asks hundreds of questions of a prompt of hundreds of kilobytes.
 */
function statedFacts(context: string): Map<string, StatedFact> {
  const facts = new Map<string, StatedFact>();
  for (const match of context.matchAll(FACT_PATTERN)) {
    if (match[1] === undefined || match[2] === undefined) continue;
    const name = normalizeName(match[1]);
    facts.set(name, { name, value: match[2].trim(), index: match.index });
  }
  return facts;
}

/** The answer to `What is the <name>?` from the stated facts, or null when the question asks none of them. */
function answerFrom(
  facts: ReadonlyMap<string, StatedFact>,
  question: string,
  answer: FactAnswerer,
): string | null {
  const asked = QUESTION_PATTERN.exec(question);
  if (asked?.[1] === undefined) return null;
  const fact = facts.get(normalizeName(asked[1]));
  return fact === undefined ? null : answer(fact);
}

const statedValue: FactAnswerer = (fact) => fact.value;

/** "The secret code for Paris is 4821." + "What is the secret code for Paris?" → "4821". */
export function recallFact(question: string, context: string, answer = statedValue): string | null {
  if (!QUESTION_PATTERN.test(question)) return null;
  return answerFrom(statedFacts(context), question, answer);
}

/** Every "What is the …?" in the question answered, one per line ("unknown" for a fact not in the context). */
export function recallFacts(question: string, context: string, answer = statedValue): string | null {
  const asked = [...question.matchAll(new RegExp(QUESTION_PATTERN.source, "gi"))];
  if (asked.length === 0) return null;
  const facts = statedFacts(context);
  if (asked.length === 1) return answerFrom(facts, question, answer);
  return asked.map((match) => answerFrom(facts, match[0], answer) ?? "unknown").join("\n");
}

/**
 * Tokens before each of `positions` (each the start of a word: a fact, a question), counted in one pass:
 * segment by segment between them, less one wherever a segment's trailing whitespace is, in the whole text,
 * the leading whitespace of the next word's token. Equal to `countTokens(context.slice(0, position))` for each,
 * without counting the prefix anew for every one of hundreds of facts.
 */
export function tokensBeforeEach(context: string, positions: readonly number[]): Map<number, number> {
  const before = new Map<number, number>();
  let start = 0;
  let total = 0;
  let merges = 0;
  for (const position of [...new Set(positions)].sort((a, b) => a - b)) {
    if (start > 0 && /\s/.test(context[start - 1] ?? "")) merges++;
    total += countTokens(context.slice(start, position));
    before.set(position, total - merges);
    start = position;
  }
  return before;
}

/**
 * Where each fact sits, as a share of the document the questions follow (the whole prompt when it asks
 * none), worked out on the first fact asked: replies that ask no fact pay nothing.
 */
function factDepths(context: string, promptTokens: number): (index: number) => number {
  let depthOf: ((index: number) => number) | null = null;
  return (index) => {
    if (depthOf === null) {
      const firstQuestion = QUESTION_PATTERN.exec(context)?.index;
      const starts = [...context.matchAll(FACT_PATTERN)].map((match) => match.index);
      const before = tokensBeforeEach(
        context,
        firstQuestion === undefined ? starts : [...starts, firstQuestion],
      );
      const documentTokens = firstQuestion === undefined ? promptTokens : before.get(firstQuestion)!;
      depthOf = (at) => {
        if (documentTokens <= 0) return 0;
        return Math.min(1, (before.get(at) ?? countTokens(context.slice(0, at))) / documentTokens);
      };
    }
    return depthOf(index);
  };
}

/**
 * Fading recall (a model's `recall` curve): each fact is recalled with the probability of its depth (tokens
 * before it / tokens before the first question, or the whole prompt when it asks none) at the prompt's
 * length, drawn independently per fact from the seeded PRNG mixed with the whole prompt — so one prompt always gets one answer, and another prompt (other
 * filler, other needles) draws afresh. A forgotten fact is answered as a real model does: a wrong code of the
 * same shape (never one the prompt states), or an admission that it does not remember.
 */
export function fadingRecall(
  curve: RecallCurve,
  context: string,
  promptTokens: number,
  seed: number,
): FactAnswerer {
  const promptHash = hashString(context);
  // Depth is a share of the document the questions follow, as needle-in-a-haystack tests place it: a check
  // of 256 needles asks 256 questions after its text, and its last needle sits at the end of the text.
  const depthOf = factDepths(context, promptTokens);
  return (fact) => {
    const random = randomFor(seed, promptHash, fact.name);
    const depth = depthOf(fact.index);
    if (random() < recallProbability(curve, promptTokens, depth)) return fact.value;
    return forgottenAnswer(random, fact.value, context);
  };
}

function forgottenAnswer(random: Random, value: string, context: string): string {
  if (/^\d+$/.test(value) && random() < 0.5) {
    for (let attempt = 0; attempt < 20; attempt++) {
      let digits = String(1 + Math.floor(random() * 9));
      while (digits.length < value.length) digits += String(Math.floor(random() * 10));
      const wrong = digits.slice(0, value.length);
      if (wrong !== value && !context.includes(wrong)) return wrong;
    }
  }
  return "I do not remember.";
}
