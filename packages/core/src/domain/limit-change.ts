import { describeStaleReason, type StaleReason } from "./staleness";

/**
 * A re-test that moved a limit by more than the search's precision: a regression (smaller) or an improvement,
 * with what changed between the two measurements. Within the precision the two results are the same answer.
 */
export interface LimitChange {
  kind: "loadable" | "effective";
  from: number;
  to: number;
  direction: "regression" | "improvement";
  /** What changed between the measurements (empty: nothing LMStrix knows of). */
  causes: StaleReason[];
}

/**
 * The change from `from` to `to`, or null when it is within `precision` tokens or within the noise of `range`,
 * the new measurement's own uncertainty (an effective limit read off noisy recall): then both are the same
 * answer. The earlier limit was read off noisy recall too, about as surely, so the two agree while their ranges
 * would overlap: within twice the new range's reach towards the earlier limit. (Only `from` inside the range
 * let two runs of one model 6 % apart, ranges overlapping, raise a regression.)
 */
export function limitChange(
  kind: LimitChange["kind"],
  from: number,
  to: number,
  precision: number,
  causes: StaleReason[],
  range?: { low: number; high: number },
): LimitChange | null {
  if (Math.abs(to - from) <= precision) return null;
  if (range) {
    const reach = from > to ? range.high - to : to - range.low;
    if (Math.abs(from - to) <= 2 * reach) return null;
  }
  return { kind, from, to, direction: to < from ? "regression" : "improvement", causes };
}

/** "60,000 → 48,000 after LM Studio 0.3.20 → 0.4.21". */
export function describeLimitChange(change: LimitChange): string {
  const sizes = `${change.from.toLocaleString("en-US")} → ${change.to.toLocaleString("en-US")}`;
  if (change.causes.length === 0) return sizes;
  return `${sizes} after ${change.causes.map(describeStaleReason).join(" and ")}`;
}
