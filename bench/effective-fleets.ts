/**
 * Fleets for `pnpm bench:effective`: models whose recall fades with length (the emulator's `recall` curve),
 * nothing else going wrong, each loadable well past its fade so that the loadable limit is never the answer.
 * Drawn from a seed: the same seed gives the same fleet on every machine.
 */
import { checkDepthsOf, MAX_NEEDLES, seededRandom } from "@lmstrix/core";
import { type Fleet, type FleetModelInput, parseFleet } from "@lmstrix/lmstudio-emulator";
import { GiB, KiB, llm } from "@lmstrix/lmstudio-emulator/testing";

/**
 * The depths the truth averages recall over: those of the largest filled check (every size from 8,192 on asks
 * them), close to the continuous average over the whole prompt.
 */
export const TRUTH_DEPTHS = checkDepthsOf(MAX_NEEDLES);

/** How a fleet's curves are drawn besides `at50` and `width` (which every fleet draws alike). */
interface FleetShape {
  label: string;
  middleDip: readonly [number, number];
  base: readonly [number, number];
}

/**
 * The dips stop at 20 %: a filled check averages its needles over depth, so a dip of d costs a short prompt
 * about 0.56 d of its recall, and above ~25 % even a short prompt misses the default threshold of 85.6 %.
 */
export const EFFECTIVE_FLEETS = {
  fade: { label: "Fade (no dip, base 100 %)", middleDip: [0, 0], base: [1, 1] },
  "lost-in-the-middle": { label: "Lost in the middle (dip 10–20 %)", middleDip: [0.1, 0.2], base: [1, 1] },
  "weak-base": { label: "Weak base (base 90–97 %, dip 0–5 %)", middleDip: [0, 0.05], base: [0.9, 0.97] },
} satisfies Record<string, FleetShape>;
export type EffectiveFleetName = keyof typeof EFFECTIVE_FLEETS;

const AT50_RANGE = [6_000, 150_000] as const;
const WIDTH_SHARE_RANGE = [0.02, 0.2] as const;
/** The declared (and loadable) context reaches this many widths past `at50`, where recall is about 1 % of base. */
const WIDTHS_PAST_AT50 = 5;
/** Enough memory for every declared context: the loadable search ends at the declared size. */
const MEMORY_BYTES = 64 * GiB;

/** `count` models of one shape, from `seed` (log-uniform `at50`, uniform width share, dip and base). */
export function effectiveFleet(name: EffectiveFleetName, count = 12, seed = 16): Fleet {
  const shape: FleetShape = EFFECTIVE_FLEETS[name];
  const random = seededRandom(seed * 7_919 + Object.keys(EFFECTIVE_FLEETS).indexOf(name));
  const between = ([low, high]: readonly [number, number]) => low + (high - low) * random();
  const models: FleetModelInput[] = Array.from({ length: count }, (_, index) => {
    const [low, high] = AT50_RANGE;
    const at50 = Math.round(low * (high / low) ** random());
    const width = Math.round(at50 * between(WIDTH_SHARE_RANGE));
    const declared = Math.ceil((at50 + WIDTHS_PAST_AT50 * width) / 1_024) * 1_024;
    return llm(`${name}-${String(index + 1).padStart(2, "0")}`, {
      sizeBytes: Math.round(between([1, 8]) * GiB),
      maxContextLength: Math.max(8_192, declared),
      kvBytesPerToken: 16 * KiB,
      recall: {
        at50,
        width,
        middleDip: Math.round(between(shape.middleDip) * 1_000) / 1_000,
        base: Math.round(between(shape.base) * 1_000) / 1_000,
      },
    });
  });
  return parseFleet({ memoryBytes: MEMORY_BYTES, models }, `${name} fleet`);
}
