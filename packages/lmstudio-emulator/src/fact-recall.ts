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

/** The last statement of the fact `What is the <name>?` asks for (the last one wins), or null. */
function statedFact(question: string, context: string): StatedFact | null {
  const asked = QUESTION_PATTERN.exec(question);
  if (asked?.[1] === undefined) return null;
  const wanted = normalizeName(asked[1]);
  let found: StatedFact | null = null;
  for (const match of context.matchAll(FACT_PATTERN)) {
    if (match[1] !== undefined && match[2] !== undefined && normalizeName(match[1]) === wanted) {
      found = { name: wanted, value: match[2].trim(), index: match.index };
    }
  }
  return found;
}

/** "The secret code for Paris is 4821." + "What is the secret code for Paris?" → "4821". */
export function recallFact(
  question: string,
  context: string,
  answer: FactAnswerer = (fact) => fact.value,
): string | null {
  const fact = statedFact(question, context);
  return fact === null ? null : answer(fact);
}

/** Every "What is the …?" in the question answered, one per line ("unknown" for a fact not in the context). */
export function recallFacts(question: string, context: string, answer?: FactAnswerer): string | null {
  const asked = [...question.matchAll(new RegExp(QUESTION_PATTERN.source, "gi"))];
  if (asked.length <= 1) return recallFact(question, context, answer);
  return asked.map((match) => recallFact(match[0], context, answer) ?? "unknown").join("\n");
}

/**
 * Fading recall (a model's `recall` curve): each fact is recalled with the probability of its depth in the
 * prompt (tokens before it / prompt tokens) at the prompt's length, drawn independently per fact from the
 * seeded PRNG mixed with the whole prompt — so one prompt always gets one answer, and another prompt (other
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
  return (fact) => {
    const random = randomFor(seed, promptHash, fact.name);
    const depth = promptTokens > 0 ? countTokens(context.slice(0, fact.index)) / promptTokens : 0;
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
