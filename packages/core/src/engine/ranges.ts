import { MAX_CONTEXT } from "../domain/model";

/** Closed intervals and the searches over them that the memory arithmetic (`memory-model.ts`) uses. */

/** A closed interval; `hi` may be `Infinity` (unbounded). */
export interface Range {
  lo: number;
  hi: number;
}

/** The largest context in [0, MAX_CONTEXT] where a non-increasing condition still holds; −1 if none. */
export function largestContext(holds: (context: number) => boolean): number {
  if (!holds(0)) return -1;
  let good = 0;
  let bad = MAX_CONTEXT + 1;
  if (holds(MAX_CONTEXT)) return MAX_CONTEXT;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (holds(middle)) good = middle;
    else bad = middle;
  }
  return good;
}

/** x × d with ∞ × 0 = 0 (an unknown slope over no distance adds nothing). */
export function times(x: number, d: number): number {
  return d === 0 ? 0 : x * d;
}

export function tighten(range: Range, lo: number, hi: number): void {
  if (lo > range.lo) range.lo = lo;
  if (hi < range.hi) range.hi = hi;
}

export function isEmpty(range: Range): boolean {
  return range.lo > range.hi + Math.max(1e-6, Math.abs(range.hi) * 1e-9);
}
