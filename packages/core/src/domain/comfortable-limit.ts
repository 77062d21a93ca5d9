/**
 * The comfortable limit: the largest measured context at which a model is still fast enough to use. One rule
 * for the Model page, the CLI (`apply --limit comfortable`, `export --format limits`) and `/api/limits`.
 * Pure: it reads probes as the store gives them.
 */

import { noEffectiveLimitFound, noEffectiveLimitReason } from "./model";

/** The probe fields the speed chart and the comfortable limit need (a stored probe fits). */
export interface SpeedProbe {
  id: number;
  runId: number;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  outcome: string | null;
  loadMs: number | null;
  timeToFirstTokenMs: number | null;
  promptTokensPerSec: number | null;
  genTokensPerSec: number | null;
}

/** A filled-window check ("effective") or a short check at load ("loadable"). */
export type SpeedKind = "filled" | "short";

export interface SpeedPoint {
  /** The window the probe ran in: what LM Studio applied, else what was asked. */
  context: number;
  kind: SpeedKind;
  genTokensPerSec: number | null;
  promptTokensPerSec: number | null;
  /** Time to first token in seconds. */
  ttftSec: number | null;
  loadMs: number | null;
  probeId: number;
  runId: number;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

/** Passing probes with at least one speed figure, by context (then filled before short). */
export function speedPoints(probes: readonly SpeedProbe[]): SpeedPoint[] {
  return probes
    .filter((probe) => probe.outcome === "pass")
    .map(
      (probe): SpeedPoint => ({
        context: probe.contextApplied ?? probe.contextRequested,
        kind: probe.kind === "effective" ? "filled" : "short",
        genTokensPerSec: finiteOrNull(probe.genTokensPerSec),
        promptTokensPerSec: finiteOrNull(probe.promptTokensPerSec),
        ttftSec: probe.timeToFirstTokenMs === null ? null : finiteOrNull(probe.timeToFirstTokenMs / 1000),
        loadMs: finiteOrNull(probe.loadMs),
        probeId: probe.id,
        runId: probe.runId,
      }),
    )
    .filter(
      (point) =>
        point.genTokensPerSec !== null || point.promptTokensPerSec !== null || point.ttftSec !== null,
    )
    .sort(
      (a, b) =>
        a.context - b.context || (a.kind === b.kind ? a.probeId - b.probeId : a.kind === "filled" ? -1 : 1),
    );
}

/**
 * Whether most filled checks in a window of `context` passed. Without an effective limit to keep them under
 * (none measured yet, or cleared by a reset), one check that barely passed beside one that failed at the same
 * size would otherwise make that size comfortable.
 */
function mostlyPassed(probes: readonly SpeedProbe[], context: number): boolean {
  const verdicts = probes.filter(
    (probe) =>
      probe.kind === "effective" &&
      (probe.outcome === "pass" || probe.outcome === "fail") &&
      (probe.contextApplied ?? probe.contextRequested) === context,
  );
  const passed = verdicts.filter((probe) => probe.outcome === "pass").length;
  return passed > verdicts.length - passed;
}

export interface SpeedThresholds {
  /** Generation must be at least this fast (tokens/s). */
  minGenTokensPerSec: number;
  /** The first token must come within this many seconds at a full window. */
  maxTtftSec: number;
}

/**
 * The Model page's default thresholds, and the ones the CLI and the API use: what "comfortable" means when
 * nobody said otherwise (at least 10 tok/s generated, the first token within 30 s at a full window).
 */
export const DEFAULT_COMFORT_THRESHOLDS: SpeedThresholds = { minGenTokensPerSec: 10, maxTtftSec: 30 };

/** A threshold is usable when it is a finite number ≥ 0. */
export function isValidThreshold(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

export interface MeasuredLimits {
  loadableLimit: number | null;
  effectiveLimit: number | null;
  /** Set with no effective limit: the effective search found none (`noEffectiveLimitFound`). */
  effectiveThreshold?: number | null;
}

export type ComfortableLimit =
  | {
      context: number;
      /** Filled-window checks, or short checks when no filled check has speed figures. */
      basis: SpeedKind;
      /** The probe that set it. */
      point: SpeedPoint;
      /** The limits it was kept under. */
      capped: number | null;
    }
  | { context: null; basis: SpeedKind | null; reason: string };

/**
 * The largest measured context that is comfortable to use: a passing probe whose generation speed is at
 * least the minimum and whose time to first token is at most the maximum. Filled-window checks are preferred
 * (their time to first token is the one at a full window); short checks count only when no filled check has
 * both figures. Never above the loadable limit nor, when known, the effective limit; without an effective limit,
 * a size counts only where most of its filled checks passed. Measured points only.
 */
export function comfortableLimit(
  probes: readonly SpeedProbe[],
  thresholds: SpeedThresholds,
  limits: MeasuredLimits,
): ComfortableLimit {
  if (!isValidThreshold(thresholds.minGenTokensPerSec) || !isValidThreshold(thresholds.maxTtftSec)) {
    return { context: null, basis: null, reason: "Enter both thresholds as numbers of 0 or more." };
  }
  const standing = { ...limits, effectiveThreshold: limits.effectiveThreshold ?? null };
  if (noEffectiveLimitFound(standing)) {
    // A model that recalls too little from any full window is comfortable at no size, however fast it is.
    const why = noEffectiveLimitReason(standing.effectiveThreshold);
    return { context: null, basis: null, reason: `Its effective search found no limit: ${why}.` };
  }
  const measured = speedPoints(probes).filter(
    (point) => point.genTokensPerSec !== null && point.ttftSec !== null,
  );
  const filled = measured.filter(
    (point) =>
      point.kind === "filled" && (limits.effectiveLimit !== null || mostlyPassed(probes, point.context)),
  );
  const basis: SpeedKind = filled.length > 0 ? "filled" : "short";
  const candidates = filled.length > 0 ? filled : measured;
  if (candidates.length === 0) {
    return {
      context: null,
      basis: null,
      reason: "No passing probe has both generation speed and time to first token yet.",
    };
  }
  const checks = basis === "filled" ? "filled-window check" : "short check";
  const fast = candidates.filter(
    (point) =>
      (point.genTokensPerSec ?? 0) >= thresholds.minGenTokensPerSec &&
      (point.ttftSec ?? 0) <= thresholds.maxTtftSec,
  );
  if (fast.length === 0) {
    return {
      context: null,
      basis,
      reason: `No ${checks} generated at least ${thresholds.minGenTokensPerSec} tok/s with its first token within ${thresholds.maxTtftSec} s.`,
    };
  }
  const caps = [limits.loadableLimit, limits.effectiveLimit].filter(
    (limit): limit is number => limit !== null,
  );
  const capped = caps.length > 0 ? Math.min(...caps) : null;
  const within = capped === null ? fast : fast.filter((point) => point.context <= capped);
  const best = within.reduce<SpeedPoint | null>(
    (top, point) => (top === null || point.context > top.context ? point : top),
    null,
  );
  if (best === null) {
    return {
      context: null,
      basis,
      reason: `Only ${checks}s above the ${
        limits.effectiveLimit !== null && limits.effectiveLimit === capped ? "effective" : "loadable"
      } limit meet the thresholds.`,
    };
  }
  return { context: best.context, basis, point: best, capped };
}
