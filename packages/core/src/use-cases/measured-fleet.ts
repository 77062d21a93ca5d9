import { noEffectiveLimitFound } from "../domain/model";
import { describeStaleReason, modelStaleReasons, type StaleCheckModel } from "../domain/staleness";

/**
 * What the matrix and the finder read: every host, every model a host lists now, and the measured generation
 * speeds of their passing probes. One read of the store (`readMeasuredFleet` in @lmstrix/db) gives all three;
 * it may leave out speeds that `speedAtLimit` / `speedForRequest` cannot pick (any superset of those gives the
 * same answer), which keeps a fleet of thousands of models small.
 */
export interface MeasuredFleet {
  hosts: FleetHost[];
  models: FleetModel[];
  speeds: MeasuredSpeed[];
}

export interface FleetHost {
  id: number;
  name: string;
  /** What the host reported last; a result measured under another version is stale. */
  lmStudioVersion: string | null;
}

export interface FleetModel extends StaleCheckModel {
  id: number;
  hostId: number;
  modelKey: string;
  displayName: string;
  type: string;
  quantization: string | null;
  declaredContext: number;
  loadableLimit: number | null;
  effectiveLimit: number | null;
  /** See `ModelSummary.effectiveThreshold`: set with no effective limit, the search found none. */
  effectiveThreshold: number | null;
}

/** One passing probe's generation speed (the latest probe of its model, kind and window size). */
export interface MeasuredSpeed {
  modelId: number;
  /** The window the probe ran in: what LM Studio applied, else what was asked. */
  context: number;
  /** "effective": a filled-window check (the prompt filled the window); "loadable": a short check at load. */
  kind: string;
  genTokensPerSec: number;
}

/**
 * The limit a model serves a request up to: the effective limit where it was measured (a window the model
 * still recalls from when full), else the loadable limit (a window it loads at and answers a short check).
 * None where the effective search found no limit: the model loads, but recalls too little from any full window.
 */
export function servedLimit(
  model: Pick<FleetModel, "loadableLimit" | "effectiveLimit" | "effectiveThreshold">,
): number | null {
  if (noEffectiveLimitFound(model)) return null;
  // An effective limit from an earlier run may lie above a loadable limit measured since (a smaller machine).
  if (model.effectiveLimit === null || model.loadableLimit === null)
    return model.effectiveLimit ?? model.loadableLimit;
  return Math.min(model.effectiveLimit, model.loadableLimit);
}

/** Why the model's result is stale on its host, in words ("LM Studio 0.3.20 → 0.4.21"); empty when it holds. */
export function staleDescriptions(model: FleetModel, host: FleetHost | undefined): string[] {
  return modelStaleReasons(model, host?.lmStudioVersion ?? null).map(describeStaleReason);
}

/** Each model's speeds, filled-window checks before short checks at one size. */
export function speedsByModel(speeds: readonly MeasuredSpeed[]): Map<number, MeasuredSpeed[]> {
  const byModel = new Map<number, MeasuredSpeed[]>();
  for (const speed of speeds) {
    const list = byModel.get(speed.modelId);
    if (list) list.push(speed);
    else byModel.set(speed.modelId, [speed]);
  }
  return byModel;
}

const isFilled = (speed: MeasuredSpeed) => speed.kind === "effective";

/**
 * The generation speed "at" a limit: the passing probe with the largest window at or below it. At one size a
 * filled-window check wins over a short check, because it generated with the window full, as a real request
 * that size does; a short check's speed at a near-empty window is higher than a user would see.
 */
export function speedAtLimit(speeds: readonly MeasuredSpeed[], limit: number | null): MeasuredSpeed | null {
  if (limit === null) return null;
  let best: MeasuredSpeed | null = null;
  for (const speed of speeds) {
    if (speed.context > limit) continue;
    if (
      best === null ||
      speed.context > best.context ||
      (speed.context === best.context && isFilled(speed) && !isFilled(best))
    ) {
      best = speed;
    }
  }
  return best;
}

/**
 * The measured speed for a request of `tokens`: a passing probe whose window held at least that many tokens
 * (speed falls as the window fills, so a larger window's speed is a floor for a smaller one). Filled-window
 * checks are used when any reached that size, short checks only otherwise (they overstate a full window's
 * speed); among them the smallest window, the closest to the request.
 */
export function speedForRequest(speeds: readonly MeasuredSpeed[], tokens: number): MeasuredSpeed | null {
  const large = speeds.filter((speed) => speed.context >= tokens);
  const filled = large.filter(isFilled);
  const candidates = filled.length > 0 ? filled : large;
  return candidates.reduce<MeasuredSpeed | null>(
    (best, speed) => (best === null || speed.context < best.context ? speed : best),
    null,
  );
}
