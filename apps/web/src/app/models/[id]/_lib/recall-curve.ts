import type { RecallPoint } from "./history";

/** The mean recall (0–100 %) of the filled checks at each window size, smallest first. */
export interface MeanRecallPoint {
  context: number;
  recall: number;
  checks: number;
}

/** Checks LM Studio truncated say nothing of the model's recall: the curve leaves them out. */
export function meanRecallBySize(points: readonly RecallPoint[]): MeanRecallPoint[] {
  const bySize = new Map<number, { sum: number; checks: number }>();
  for (const point of points) {
    if (point.isTruncated) continue;
    const entry = bySize.get(point.context) ?? { sum: 0, checks: 0 };
    entry.sum += point.recall;
    entry.checks += 1;
    bySize.set(point.context, entry);
  }
  return [...bySize.entries()]
    .map(([context, { sum, checks }]) => ({ context, recall: Math.round((sum / checks) * 10) / 10, checks }))
    .sort((a, b) => a.context - b.context);
}

/**
 * The model's own short-context score (NoLiMa's baseline): the mean recall at its smallest filled size. A
 * model that misses needles even in a short prompt is measured against what it can do, not against 100 %.
 * Null when there is none, or when it recalled nothing there (no share of nothing).
 */
export function shortContextScore(curve: readonly MeanRecallPoint[]): MeanRecallPoint | null {
  const first = curve[0];
  return first && first.recall > 0 ? first : null;
}

/** `recall` as a share (0–100, whole percent) of the short-context score. */
export function relativeToShort(recall: number, short: MeanRecallPoint): number {
  return Math.round((recall / short.recall) * 100);
}

/**
 * Where the mean line puts each size: the mean prompt tokens of the checks its recall averages (the effective
 * limit's unit; truncated checks are left out of both).
 */
export function promptTokensBySize(points: readonly RecallPoint[]): Map<number, number> {
  const bySize = new Map<number, number[]>();
  for (const point of points) {
    if (point.isTruncated) continue;
    bySize.set(point.context, [...(bySize.get(point.context) ?? []), point.promptTokens]);
  }
  return new Map(
    [...bySize].map(([context, prompts]) => [
      context,
      Math.round(prompts.reduce((sum, tokens) => sum + tokens, 0) / prompts.length),
    ]),
  );
}
