import {
  type ComfortableLimit,
  comfortableLimit,
  DEFAULT_COMFORT_THRESHOLDS,
  type SpeedPoint,
  type SpeedProbe,
  type SpeedThresholds,
  speedPoints,
} from "../domain/comfortable-limit";
import { missingEffectiveLimit } from "../domain/model";
import { servedLimit } from "./measured-fleet";

/** How many models a comparison sets side by side (the Compare page and `lmstrix compare`). */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 4;

/**
 * How many of a model's newest probes its Model page and a comparison read: enough for every chart, and a
 * model re-tested for months still reads quickly.
 */
export const PROBE_HISTORY_LIMIT = 1_000;

/** Why a selection of models cannot be compared (too few, too many, one twice); null when it can. */
export function comparisonSelectionProblem(ids: readonly (number | string)[]): string | null {
  if (ids.length < COMPARE_MIN_MODELS) return `Compare at least ${COMPARE_MIN_MODELS} models`;
  if (ids.length > COMPARE_MAX_MODELS) return `Compare at most ${COMPARE_MAX_MODELS} models`;
  if (new Set(ids).size !== ids.length) return "Each model can be compared only once";
  return null;
}

/** A compared model as the store gives it (`readModelComparison` in @lmstrix/db): its facts and newest probes. */
export interface ComparisonModel {
  id: number;
  modelKey: string;
  displayName: string;
  quantization: string | null;
  declaredContext: number;
  loadableLimit: number | null;
  effectiveLimit: number | null;
  effectiveThreshold: number | null;
  testStatus: string;
  lastTestedAt: Date | null;
  isPresent: boolean;
  host: { id: number; name: string };
  probes: readonly SpeedProbe[];
}

/** One model's column of a comparison: the figures the Compare page and `lmstrix compare` show. */
export interface ComparedModelFigures {
  id: number;
  modelKey: string;
  displayName: string;
  host: { id: number; name: string };
  quantization: string | null;
  testStatus: string;
  /** False when its host no longer lists it (kept for its history). */
  isPresent: boolean;
  declaredContext: number;
  loadableLimit: number | null;
  /** The loadable limit's share of the declared context, 0..1; null without a loadable limit. */
  loadableShareOfDeclared: number | null;
  effectiveLimit: number | null;
  /** What stands in for a missing effective limit (`missingEffectiveLimit`); null when there is one. */
  effectiveMissing: string | null;
  /** Core's `comfortableLimit` under the thresholds the comparison was asked with. */
  comfortable: ComfortableLimit;
  /** How fast it generated at its served limit (`generationAtLimit`); null without a measured speed there. */
  generationAtLimit: SpeedPoint | null;
  lastTestedAt: Date | null;
}

export interface ModelComparison {
  thresholds: SpeedThresholds;
  models: ComparedModelFigures[];
}

/**
 * How fast the model generated at its limit: the passing probe with a generation speed at the largest context
 * at or below `limit` (a filled-window check before a short check at the same size, as a full window is what
 * a request that size sees); null without one.
 */
export function generationAtLimit(probes: readonly SpeedProbe[], limit: number | null): SpeedPoint | null {
  if (limit === null) return null;
  let best: SpeedPoint | null = null;
  for (const point of speedPoints(probes)) {
    if (point.genTokensPerSec === null || point.context > limit) continue;
    const isBetter =
      best === null ||
      point.context > best.context ||
      (point.context === best.context && point.kind === "filled" && best.kind === "short");
    if (isBetter) best = point;
  }
  return best;
}

/** One model's figures: its limits, the comfortable limit under `thresholds`, its speed at the served limit. */
export function comparedModelFigures(
  model: ComparisonModel,
  thresholds: SpeedThresholds = DEFAULT_COMFORT_THRESHOLDS,
): ComparedModelFigures {
  const { probes, loadableLimit, effectiveLimit, effectiveThreshold, declaredContext } = model;
  return {
    id: model.id,
    modelKey: model.modelKey,
    displayName: model.displayName,
    host: { id: model.host.id, name: model.host.name },
    quantization: model.quantization,
    testStatus: model.testStatus,
    isPresent: model.isPresent,
    declaredContext,
    loadableLimit,
    loadableShareOfDeclared:
      loadableLimit === null || declaredContext <= 0 ? null : loadableLimit / declaredContext,
    effectiveLimit,
    effectiveMissing: missingEffectiveLimit(model),
    comfortable: comfortableLimit(probes, thresholds, { loadableLimit, effectiveLimit, effectiveThreshold }),
    generationAtLimit: generationAtLimit(probes, servedLimit(model)),
    lastTestedAt: model.lastTestedAt,
  };
}

/** Several models side by side, in the order given, each with the figures of its column. */
export function compareModels(
  models: readonly ComparisonModel[],
  thresholds: SpeedThresholds = DEFAULT_COMFORT_THRESHOLDS,
): ModelComparison {
  return { thresholds, models: models.map((model) => comparedModelFigures(model, thresholds)) };
}
