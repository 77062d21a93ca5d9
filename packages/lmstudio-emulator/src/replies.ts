import { fadingRecall, recallFacts } from "./fact-recall.js";
import { pick, randomFor } from "./prng.js";
import type { RecallCurve } from "./recall.js";

export { recallFact, recallFacts } from "./fact-recall.js";

export interface ReplyRequest {
  /** Text of the last user message (what is being asked). */
  question: string;
  /** All prompt text (every message), searched for facts like "The secret code is 42.". */
  context: string;
  /** True when the model runs past its effective context: answers become rambling, digit-free. */
  degraded: boolean;
  seed: number;
  /** A model with fading recall: each fact is recalled with its probability at this prompt length. */
  recall?: { curve: RecallCurve; promptTokens: number } | undefined;
}

/**
 * The simulated model's answer. Deterministic: the same request and seed give the same text.
 *
 * Understood, in order: fact recall ("The <name> is <value>." … "What is the <name>?" → value; several
 * questions get one answer per line, as in a filled-context check; with a `recall` curve each fact may be
 * forgotten, see fact-recall.ts),
 * number words to digits ("Write 'ninety-six' as a number using only digits" → "96"), simple
 * arithmetic ("2+3=" → "5"); anything else gets a short generic sentence.
 */
export function generateReply(request: ReplyRequest): string {
  const random = randomFor(request.seed, request.question, request.context.length);
  if (request.degraded) return ramble(random);
  const { recall } = request;
  const answer =
    recall === undefined
      ? undefined
      : fadingRecall(recall.curve, request.context, recall.promptTokens, request.seed);
  return (
    recallFacts(request.question, request.context, answer) ??
    numberWordsToDigits(request.question) ??
    arithmetic(request.question) ??
    pick(random, GENERIC_REPLIES)
  );
}

const GENERIC_REPLIES = [
  "Sure. Here is a short answer: it depends on the details, but generally yes.",
  "Hello! How can I help you today?",
  "That is an interesting question. In short, the answer is no.",
  "I am not certain, but I believe so.",
  "Here you go: the result is as expected.",
] as const;

// No digits here: a degraded model must never produce a correct number by accident.
const RAMBLE_WORDS = [
  "the",
  "of",
  "context",
  "and",
  "window",
  "again",
  "perhaps",
  "token",
  "so",
  "river",
  "stone",
  "because",
  "well",
  "the",
  "forgotten",
  "number",
  "is",
  "somewhere",
] as const;

function ramble(random: () => number): string {
  const length = 12 + Math.floor(random() * 12);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(pick(random, RAMBLE_WORDS));
  return `${words.join(" ")}...`;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { thousand: 1_000, million: 1_000_000, billion: 1_000_000_000 };

/** "ninety-six" → 96, "two hundred and five" → 205; null when it is not an English number. */
export function parseNumberWords(text: string): number | null {
  const words = text
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((word) => word !== "" && word !== "and");
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  for (const word of words) {
    const unit = UNITS[word];
    const scale = SCALES[word];
    if (unit !== undefined) current += unit;
    else if (word === "hundred") current = (current === 0 ? 1 : current) * 100;
    else if (scale !== undefined) {
      total += (current === 0 ? 1 : current) * scale;
      current = 0;
    } else return null;
  }
  return total + current;
}

/** "Write 'ninety-six' as a number using only digits" → "96". */
function numberWordsToDigits(question: string): string | null {
  if (!/\b(digits?|numerals?|as a number)\b/i.test(question)) return null;
  const quoted = /["'‘’“”]([a-z][a-z\s-]*?)["'‘’“”]/i.exec(question);
  if (quoted?.[1] === undefined) return null;
  const value = parseNumberWords(quoted[1]);
  return value === null ? null : String(value);
}

const ARITHMETIC_PATTERN = /(-?\d+(?:\.\d+)?)\s*([-+*×x/÷])\s*(-?\d+(?:\.\d+)?)\s*(?:=|\?|$)/;

/** "2+3=" → "5", "What is 7 * 6?" → "42". */
function arithmetic(question: string): string | null {
  const match = ARITHMETIC_PATTERN.exec(question.trim());
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) return null;
  const a = Number(match[1]);
  const b = Number(match[3]);
  let result: number;
  switch (match[2]) {
    case "+":
      result = a + b;
      break;
    case "-":
      result = a - b;
      break;
    case "/":
    case "÷":
      if (b === 0) return "Division by zero is undefined.";
      result = a / b;
      break;
    default:
      result = a * b;
  }
  return Number.isInteger(result) ? String(result) : String(Number(result.toFixed(4)));
}
