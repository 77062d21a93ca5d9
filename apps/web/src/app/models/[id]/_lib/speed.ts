import {
  type ComfortableLimit,
  comfortableLimit,
  DEFAULT_COMFORT_THRESHOLDS,
  isValidThreshold,
  type MeasuredLimits,
  type SpeedKind,
  type SpeedPoint,
  type SpeedProbe,
  type SpeedThresholds,
  speedPoints,
} from "@lmstrix/core";

// The rule itself is core's, shared with the CLI and the API; the page adds its charts and stored inputs.
export type { ComfortableLimit, SpeedKind, SpeedPoint, SpeedProbe, SpeedThresholds };
export { comfortableLimit, isValidThreshold, speedPoints };
export type Limits = MeasuredLimits;

export const DEFAULT_THRESHOLDS: SpeedThresholds = DEFAULT_COMFORT_THRESHOLDS;

/** One chart series: the points of one kind that have the given figure, as `{ context, value }`. */
export function speedSeries(
  points: readonly SpeedPoint[],
  kind: SpeedKind,
  figure: "genTokensPerSec" | "promptTokensPerSec" | "ttftSec",
): (SpeedPoint & { value: number })[] {
  return points.flatMap((point) => {
    const value = point[figure];
    return point.kind === kind && value !== null ? [{ ...point, value }] : [];
  });
}

/** Where the thresholds live in the browser. */
export const THRESHOLDS_STORAGE_KEY = "lmstrix:speed-thresholds";

/** Stored thresholds, each falling back to its default when missing or unusable. */
export function parseThresholds(raw: string | null): SpeedThresholds {
  if (!raw) return DEFAULT_THRESHOLDS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return DEFAULT_THRESHOLDS;
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const pick = (key: keyof SpeedThresholds) => {
    const value = record[key];
    return typeof value === "number" && isValidThreshold(value) ? value : DEFAULT_THRESHOLDS[key];
  };
  return { minGenTokensPerSec: pick("minGenTokensPerSec"), maxTtftSec: pick("maxTtftSec") };
}

/** The thresholds kept in this browser (the defaults where storage is blocked); in the browser only. */
export function readStoredThresholds(): SpeedThresholds {
  try {
    return parseThresholds(window.localStorage.getItem(THRESHOLDS_STORAGE_KEY));
  } catch {
    return DEFAULT_THRESHOLDS;
  }
}
