import { seededRandom } from "./haystack";

/** A fact hidden in the haystack, and the question that asks for it. */
export interface Needle {
  /** Where it sits, as a share of the haystack: 0 = start, 1 = end. */
  depth: number;
  fact: string;
  question: string;
  answer: string;
  /** Canaries sit at the very head and tail; missing them means the prompt was cut. */
  isCanary: boolean;
}

const PLACES = [
  "Lisbon",
  "Kyoto",
  "Nairobi",
  "Quito",
  "Oslo",
  "Hanoi",
  "Tunis",
  "Perth",
  "Lima",
  "Riga",
  "Dakar",
  "Bergen",
  "Accra",
  "Cusco",
];

/** Qualifiers that make more names of the places: "North Lisbon" (no digits: the only numbers are the codes). */
const QUALIFIERS = [
  "",
  "North",
  "South",
  "East",
  "West",
  "Old",
  "New",
  "Upper",
  "Lower",
  "Little",
  "Great",
  "Port",
  "Saint",
  "Mount",
  "Fort",
  "Lake",
  "Cape",
  "Glen",
  "Bay",
];

/**
 * Needles per filled check, canaries included: 16 for each 1,024 tokens of the window, from 16 up to
 * MAX_NEEDLES (64 at 4,096, 128 at 8,192, 256 from 16,384). A check's recall is a binomial share of its
 * needles, and a curve that fades slowly, or whose short-prompt recall lies a few points above the threshold,
 * crosses it where a few points of recall move the crossing by thousands of tokens: 16 needles (±9 %) cannot
 * place it within 10 %, 256 (±2 %) mostly can (docs/benchmarks.md). The answers cost 8 tokens per needle, and
 * the needles and questions about a third of the prompt, which is why small windows ask fewer.
 */
export const NEEDLES_PER_1K_TOKENS = 16;
export const MIN_NEEDLES = 16;
export const MAX_NEEDLES = 256;

export function needleCount(contextLength: number): number {
  const count = Math.floor(contextLength / 1_024) * NEEDLES_PER_1K_TOKENS;
  return Math.min(MAX_NEEDLES, Math.max(MIN_NEEDLES, count));
}

/**
 * Tokens kept free for the answers: room for a five-digit code per needle (`filledMaxTokens`), plus a margin
 * for chat templates.
 */
export function answerReserve(contextLength: number): number {
  return 112 + Math.ceil(contextLength * 0.02) + filledMaxTokens(needleCount(contextLength));
}

/** The answers are one code per line: room for each (a tokenizer may split a code into single digits). */
export function filledMaxTokens(needles: number): number {
  return 16 + 8 * needles;
}
/**
 * Depths of the real needles of a check of `count` needles, spread evenly over the prompt (canaries are added
 * at 0 and 1): a depth-averaged recall, middle included, where models lose what they read ("lost in the middle").
 */
export function needleDepths(count: number): number[] {
  const inner = Math.max(1, count - 2);
  return Array.from({ length: inner }, (_, index) => (index + 0.5) / inner);
}

/** Every depth a check of `count` needles asks at, canaries included: what its recall averages over. */
export function checkDepthsOf(count: number): number[] {
  return [0, ...needleDepths(count), 1];
}

/** Every depth the filled check in a window of `contextLength` asks at. */
export function filledCheckDepths(contextLength: number): number[] {
  return checkDepthsOf(needleCount(contextLength));
}

function needleName(index: number): string {
  const place = PLACES[index % PLACES.length]!;
  const qualifier = QUALIFIERS[Math.floor(index / PLACES.length) % QUALIFIERS.length]!;
  return qualifier === "" ? place : `${qualifier} ${place}`;
}

/**
 * Needles with distinct, seeded five-digit answers, phrased as "The secret code for X is N." so that any model
 * (and the emulator) can recall them by name. Another seed gives other codes: a fresh prompt for a repeat.
 */
export function makeNeedles(depths: readonly number[] = needleDepths(MIN_NEEDLES), seed = 1): Needle[] {
  const random = seededRandom(seed ^ 0x5eed);
  const used = new Set<string>();
  const code = () => {
    for (;;) {
      const value = String(10_000 + Math.floor(random() * 90_000));
      if (!used.has(value)) {
        used.add(value);
        return value;
      }
    }
  };
  const needle = (name: string, depth: number, isCanary: boolean): Needle => {
    const answer = code();
    return {
      depth,
      fact: `The secret code for ${name} is ${answer}.`,
      question: `What is the secret code for ${name}?`,
      answer,
      isCanary,
    };
  };
  return [
    needle("the opening gate", 0, true),
    ...depths.map((depth, index) => needle(needleName(index), depth, false)),
    needle("the closing gate", 1, true),
  ];
}
