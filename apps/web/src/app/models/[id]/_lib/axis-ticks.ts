/**
 * Axis ticks on round values: context sizes in steps of a power of two (…, 8K, 16K, 32K, … tokens, as context
 * sizes are given), speeds at 1, 2 and 5 times a power of ten, seconds at round steps.
 */

export interface Axis {
  domain: [number, number];
  ticks: number[];
}

/** Few enough ticks to read at a phone's width, enough to place a point. */
const MAX_TICKS = 6;

/** A context axis from 0 to a little above `max` (5% of room), its ticks at multiples of a power of two. */
export function contextAxis(max: number): Axis {
  const top = Math.max(1, Math.ceil(max * 1.05));
  let step = 256;
  while (top / step > MAX_TICKS - 1) step *= 2;
  const last = Math.ceil(top / step) * step;
  const ticks = Array.from({ length: last / step + 1 }, (_, index) => index * step);
  return { domain: [0, last], ticks };
}

const trim = (value: number) => Number(value.toFixed(2)).toLocaleString("en-US");

/** Context tick labels: "16K", "1.5K", "1M", "512"; a size that is no multiple of 256 keeps its separators. */
export function formatContextTick(value: number): string {
  if (value >= 1_048_576 && value % 262_144 === 0) return `${trim(value / 1_048_576)}M`;
  if (value >= 1_024 && value % 256 === 0) return `${trim(value / 1_024)}K`;
  return value.toLocaleString("en-US");
}

/**
 * A log axis of speeds (tok/s) from the power of ten at or below the slowest to the one at or above the fastest,
 * ticked at every power of ten, and at 2 and 5 times it too while that stays within a few decades.
 */
export function logAxis(values: readonly number[]): Axis {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return { domain: [1, 10], ticks: [1, 2, 5, 10] };
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive))));
  const multiples = high - low <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let exponent = low; exponent <= high; exponent += 1) {
    for (const multiple of multiples) {
      const tick = multiple * 10 ** exponent;
      // 10 ** -1 × 2 is 0.20000000000000001: keep the value people read.
      if (tick <= 10 ** high) ticks.push(Number(tick.toPrecision(12)));
    }
  }
  return { domain: [10 ** low, 10 ** high], ticks };
}

/** A linear axis from 0 to at least `max`, ticked at 1, 2 or 5 times a power of ten (seconds to first token). */
export function linearAxis(max: number): Axis {
  if (!(max > 0) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  const rough = max / (MAX_TICKS - 2);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((multiple) => multiple * power).find((candidate) => candidate >= rough) ?? power * 10;
  const last = Math.ceil(max / step) * step;
  const ticks = Array.from({ length: Math.round(last / step) + 1 }, (_, index) =>
    Number((index * step).toPrecision(12)),
  );
  return { domain: [0, ticks.at(-1) ?? last], ticks };
}
