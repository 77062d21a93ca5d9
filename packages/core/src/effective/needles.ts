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
];

/** Default depths of the real needles: start, middle, end (canaries are added at 0 and 1). */
export const DEFAULT_NEEDLE_DEPTHS = [0.1, 0.5, 0.9] as const;

/**
 * Needles with distinct, seeded five-digit answers, phrased as "The secret code for X is N." so that any model
 * (and the emulator) can recall them by name.
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
