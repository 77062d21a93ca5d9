import { percent, tokens } from "../util/wording";
import { failingSize, ignoredRequestSize, isGrownBeyondRounding } from "./applied-context";
import type { HostLoad } from "./memory-model";
import { withSpillsAsFailures } from "./spill";

/** What one finished probe says about a size, as the search sees it. */
export interface Observation {
  requested: number;
  /** The size LM Studio actually loaded; `null` when the load failed. */
  applied: number | null;
  passed: boolean;
  /** The failure was the host running out of memory (INSUFFICIENT_RESOURCES). */
  memoryFailure?: boolean;
  /** The memory LM Studio said the refused load needs, in bytes. */
  requiredBytes?: number | null;
  /** Without a guardrail: the KV cache buffer the out-of-memory load failed to allocate, in bytes. */
  failedKvCacheBytes?: number | null;
  /** Speeds of the first check prompt's answer (a load that spilled into system memory is many times slower). */
  promptTokensPerSec?: number | null;
  genTokensPerSec?: number | null;
  /** Set by the search on a pass it counts as failed: it loaded, but spilled out of the GPU's memory. */
  spilled?: boolean;
}

/**
 * What the host already showed, for strategies that use it (`fit`). Computed by the engine from the store;
 * the strategy stays a pure function of its parameters and the model's history in this run.
 */
export interface SearchKnowledge {
  /** The model's LM Studio key (its base, before "@", is shared by its quantisations) and file size. */
  modelKey: string;
  sizeBytes: number;
  /** Its architecture and parameter count: models alike share the KV cache per token (`kv-family.ts`). */
  architecture?: string | null;
  params?: string | null;
  /**
   * The host's generation speed × model size over its passes in memory (median, bytes × tokens/s): what a
   * load that did not spill runs at (`spill.ts`). `null` when no pass measured it.
   */
  decodeBandwidth?: number | null;
  /** Finished loads on the same host that this search did not make: other models, earlier runs. */
  evidence: readonly HostLoad[];
}

export interface SearchParams {
  declared: number;
  threshold: number;
  verifyContext: number;
  /** The model's last known bad size from before this run, if any. */
  previousBad: number | null;
  /** Ignore `previousBad` as an upper bound. */
  force: boolean;
  /** Bisection stops when bad − good ≤ precision; default max(256, 1 % of the bad size). */
  precision?: number;
  /** What the host already showed; only the `fit` strategy reads it. */
  knowledge?: SearchKnowledge;
}

export type SearchPhase =
  | "verify"
  | "bound"
  | "step-up"
  | "double"
  | "bisect"
  /** `fit`: a size the host's evidence says loads (or, at the declared size, may load). */
  | "predict"
  /** `fit`: one precision step above a pass, expected to fail: closes the search. */
  | "confirm"
  /** `fit`: nothing predicts the limit yet: the threshold, doubling, or the declared size behind a guardrail. */
  | "explore"
  /** Effective search: a size of the grid (powers of two from 4,096, then the loadable limit). */
  | "grid"
  /** Effective search: a size between the last filled check that passed and the first that failed. */
  | "refine"
  /** Effective search: a size whose recall was within the noise of the threshold, again with fresh needles. */
  | "repeat";

export type SearchStep =
  | { kind: "probe"; context: number; phase: SearchPhase }
  | { kind: "done"; limit: number | null; reason: string };

export type Strategy = (params: SearchParams, history: readonly Observation[]) => SearchStep;

/** Share of a previous bad size above which lmstrix does not start (unless forced). */
export const PREVIOUS_BAD_SHARE = 0.75;
export const STEP_UP_FACTOR = 1.1;

// Messages of the search name sizes the way people read them; `tokens` is exported from here too, as before.
export { tokens };

export function defaultPrecision(bad: number): number {
  return Math.max(256, Math.ceil(bad * 0.01));
}

export interface Bracket {
  verify: number;
  /** Largest size that passed (counted at what was applied), or null. */
  good: number | null;
  /** Smallest failing size above `good`, or null. */
  bad: number | null;
  /** A pass where LM Studio loaded less than asked: the host will not go higher. */
  capped: Observation | undefined;
  /** The size LM Studio loads whatever is asked (see `ignoredRequestSize`), or null. */
  ignoredAt: number | null;
  /** The smallest size above `good` that loaded but spilled into system memory, or null. */
  spilledAt: number | null;
  /** A pass that LM Studio loaded far larger than asked (an ignored request, seen once so far). */
  grown: Observation | undefined;
  hasVerified: boolean;
  verifyFailed: boolean;
}

export function bracket(params: SearchParams, history: readonly Observation[]): Bracket {
  const verify = Math.min(params.verifyContext, params.declared);
  const view = withSpillsAsFailures(history);
  let good: number | null = null;
  for (const observation of view) {
    if (observation.passed) good = Math.max(good ?? 0, observation.applied ?? observation.requested);
  }
  let bad: number | null = null;
  let spilledAt: number | null = null;
  for (const observation of view) {
    const size = failingSize(observation);
    if (!observation.passed && size > (good ?? 0)) {
      bad = Math.min(bad ?? Number.POSITIVE_INFINITY, size);
      if (observation.spilled) spilledAt = Math.min(spilledAt ?? Number.POSITIVE_INFINITY, size);
    }
  }
  const verifyObservation = view.find((observation) => observation.requested === verify);
  return {
    verify,
    good,
    bad,
    capped: view.find((o) => o.passed && o.applied !== null && o.applied < o.requested),
    ignoredAt: ignoredRequestSize(history),
    spilledAt,
    grown: view.find((o) => o.passed && isGrownBeyondRounding(o)),
    hasVerified: verifyObservation !== undefined,
    verifyFailed: verifyObservation !== undefined && !verifyObservation.passed && good === null,
  };
}

export function failedAtVerify(verify: number): SearchStep {
  return { kind: "done", limit: null, reason: `does not load and answer even at ${tokens(verify)} tokens` };
}

/** Shared opening and closing moves of the lmstrix strategies; `undefined` means the strategy decides. */
function commonStep(params: SearchParams, b: Bracket): SearchStep | undefined {
  if (!b.hasVerified) return { kind: "probe", context: b.verify, phase: "verify" };
  if (b.verifyFailed) return failedAtVerify(b.verify);
  const closing = closingStep(params, b);
  if (closing) return closing;
  if (b.good !== null && b.bad !== null) {
    return { kind: "probe", context: Math.floor((b.good + b.bad) / 2), phase: "bisect" };
  }
  return undefined;
}

/**
 * The ends every strategy shares: never credited above what LM Studio applied, done at the declared size, or
 * done when a pass and a failure above it are within the precision. `undefined` while the search goes on.
 */
export function closingStep(params: SearchParams, b: Bracket): SearchStep | undefined {
  if (b.ignoredAt !== null) {
    // Every further load would be the same load: what it proved is the result.
    return {
      kind: "done",
      limit: b.good === b.ignoredAt ? Math.min(b.ignoredAt, params.declared) : null,
      reason: `LM Studio on this host loads ${tokens(b.ignoredAt)} whatever is asked`,
    };
  }
  if (b.capped && b.capped.applied !== null) {
    return {
      kind: "done",
      limit: b.good,
      reason: `LM Studio loaded ${tokens(b.capped.applied)} tokens when asked for ${tokens(b.capped.requested)}`,
    };
  }
  if (b.good !== null && b.good >= params.declared) {
    const grown = b.grown?.applied
      ? ` (LM Studio loaded ${tokens(b.grown.applied)} tokens when asked for ${tokens(b.grown.requested)})`
      : "";
    return {
      kind: "done",
      limit: params.declared,
      reason: `loads and answers at its declared context${grown}`,
    };
  }
  if (b.good !== null && b.bad !== null) {
    const precision = params.precision ?? defaultPrecision(b.bad);
    if (b.bad - b.good <= precision) {
      const found = `found between ${tokens(b.good)} and ${tokens(b.bad)} tokens`;
      return {
        kind: "done",
        limit: b.good,
        reason:
          b.spilledAt === b.bad
            ? `loads but spills to system memory above ${tokens(b.good)} tokens (${found})`
            : found,
      };
    }
  }
  return undefined;
}

/**
 * The largest step above a pass at `good` whose failure would close the search: a failure at good + step is
 * within the precision of good (precision grows with the size, hence the few rounds; each one stays valid).
 */
export function closingStepAbove(params: Pick<SearchParams, "precision">, good: number): number {
  if (params.precision !== undefined) return params.precision;
  let step = defaultPrecision(good);
  for (let round = 0; round < 4; round += 1) step = defaultPrecision(good + step);
  return step;
}

function nextAbove(good: number, candidate: number): number {
  return Math.max(good + 1, Math.floor(candidate));
}

/**
 * lmstrix's single-model search: verify small, probe min(threshold, declared) (at most 75 % of a previous bad
 * size unless forced), step up ×1.1 after a pass, bisect after a failure.
 */
export const lmstrixSingleStrategy: Strategy = (params, history) => {
  const b = bracket(params, history);
  const common = commonStep(params, b);
  if (common) return common;
  const good = b.good ?? b.verify;
  let bound = Math.min(params.threshold, params.declared);
  if (params.previousBad !== null && !params.force) {
    bound = Math.min(bound, Math.floor(params.previousBad * PREVIOUS_BAD_SHARE));
  }
  if (bound > good && !history.some((observation) => observation.requested === bound)) {
    return { kind: "probe", context: bound, phase: "bound" };
  }
  const next = Math.min(params.declared, nextAbove(good, good * STEP_UP_FACTOR));
  return { kind: "probe", context: next, phase: "step-up" };
};

/**
 * lmstrix's `--all` passes for one model: double below the threshold, then ×1.1, capped at the declared size
 * and at 75 % of a previous bad size; unlike lmstrix, a failure is refined by bisection.
 */
export const lmstrixBatchStrategy: Strategy = (params, history) => {
  const b = bracket(params, history);
  const common = commonStep(params, b);
  if (common) return common;
  const good = b.good ?? b.verify;
  let cap = params.declared;
  if (params.previousBad !== null && !params.force) {
    cap = Math.min(cap, Math.floor(params.previousBad * PREVIOUS_BAD_SHARE));
  }
  if (cap <= good) {
    return {
      kind: "done",
      limit: good,
      reason:
        params.previousBad === null
          ? `stopped at the declared ${tokens(params.declared)} tokens`
          : `stopped at ${percent(PREVIOUS_BAD_SHARE)} of the previous bad size ${tokens(params.previousBad)}`,
    };
  }
  const isBelowThreshold = good < params.threshold;
  const candidate = isBelowThreshold ? Math.min(good * 2, params.threshold) : good * STEP_UP_FACTOR;
  const next = Math.min(cap, nextAbove(good, candidate));
  return { kind: "probe", context: next, phase: isBelowThreshold ? "double" : "step-up" };
};
