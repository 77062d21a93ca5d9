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

/** Needles per filled check besides the two canaries: 16 in all, so one check's recall is within ±9 %. */
export const NEEDLES_PER_CHECK = 14;

/**
 * Depths of the real needles, spread evenly over the prompt (canaries are added at 0 and 1): a depth-averaged
 * recall, middle included, where models lose what they read ("lost in the middle").
 */
export const DEFAULT_NEEDLE_DEPTHS: readonly number[] = Array.from(
  { length: NEEDLES_PER_CHECK },
  (_, index) => (index + 0.5) / NEEDLES_PER_CHECK,
);

/** Every depth a filled check asks at, canaries included: what its recall averages over. */
export const FILLED_CHECK_DEPTHS: readonly number[] = [0, ...DEFAULT_NEEDLE_DEPTHS, 1];

/**
 * Needles with distinct, seeded five-digit answers, phrased as "The secret code for X is N." so that any model
 * (and the emulator) can recall them by name. Another seed gives other codes: a fresh prompt for a repeat.
 */
export function makeNeedles(depths: readonly number[] = DEFAULT_NEEDLE_DEPTHS, seed = 1): Needle[] {
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
    ...depths.map((depth, index) => needle(PLACES[index % PLACES.length]!, depth, false)),
    needle("the closing gate", 1, true),
  ];
}
