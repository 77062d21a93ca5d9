import { DEFAULT_THRESHOLD } from "../domain/run";
import { hostRounding, roundedUp } from "./applied-context";
import { baseKey, kvFamilyKey, type ModelShape, sharesKvCache } from "./kv-family";
import { withAgreeingFamilies, withoutShape } from "./kv-family-evidence";
import {
  calibrate,
  type HostLoad,
  hasGuardrail,
  type LimitPrediction,
  mayRunWithoutGuardrail,
  predictLimit,
} from "./memory-model";
import { roundSizeStep } from "./round-sizes";
import {
  type Bracket,
  bracket,
  closingStep,
  closingStepAbove,
  failedAtVerify,
  type Observation,
  PREVIOUS_BAD_SHARE,
  type SearchParams,
  type SearchPhase,
  type SearchStep,
  type Strategy,
  tokens,
} from "./search";
import { siblingFailureAbove } from "./sibling-failure";
import { isFastForItsSize, isSlowForItsSize, lacksSpeedReference, withSpillsAsFailures } from "./spill";

/** Growth after a pass when nothing predicts the limit and no guardrail protects the host: lmstrix's doubling. */
export const BLIND_GROWTH = 2;

/**
 * The `fit` search: predict the limit from what the host already showed, then verify it.
 *
 * Evidence: this model's loads in this run, and `params.knowledge` — every finished load on the host (other
 * models, earlier runs), with sizes and the memory LM Studio said refused loads need. From it: an interval
 * where the limit should lie (`predictLimit`: memory arithmetic, sibling quantisations, earlier results, the
 * applied context). The search then
 * - probes the low end of a narrow predicted interval (expected to pass) and one precision step above it
 *   (expected to fail) — two loads for a well-predicted model, one when the declared size is predicted to load;
 * - bisects inside a wide predicted interval;
 * - without a prediction, explores: the threshold first (or, when the host's guardrail has refused loads with
 *   a stated requirement and the threshold is the default, the declared size: a refusal costs nothing and
 *   measures the model), doubling after a
 *   pass, bisection after a failure.
 * A prediction that a probe contradicts (a non-memory failure: a crash, a hang, a failing load; or a wrong
 * calibration) is dropped, and the search goes on by bisection between what it proved. The end is the lmstrix
 * strategies': a pass at the limit and a failure within the precision above it (or the declared size), never
 * credited above what LM Studio applied — so a wrong prediction costs loads, never correctness. The failure may
 * be another model's in this run that proves as much (`sibling-failure.ts`: the same KV cache, lighter weights).
 *
 * What LM Studio applied (`applied-context.ts`): a refusal on a host that rounds requests up is read at the
 * rounded size (its stated requirement is for that size). Where a load ran out of memory without a stated
 * requirement (no guardrail), loads may also spill into system memory and pass slowly (`spill.ts`): the
 * verify size is then loaded after the first pass, as the speed a spill is judged against.
 */
export const fitStrategy: Strategy = (params, history) => {
  const b = bracket(params, history);
  if (b.good === null && b.bad !== null && b.bad <= b.verify) return failedAtVerify(b.verify);
  const { prediction, guarded, loads, target, inMemoryUpTo, outOfMemoryAbove } = readEvidence(
    params,
    history,
  );
  const next =
    closingStep(params, b) ??
    closingOnSibling(params, b, loads, target) ??
    roundSizeStep(params, b, history, prediction?.hi ?? Number.POSITIVE_INFINITY) ??
    nextFitProbe(params, b, prediction, guarded, guarded && isMeasuredByShapeOnly(loads, target));
  // Where loads run out of memory with no guardrail, a load may also spill into system memory and still pass,
  // only slower: a pass is judged by its speed against a small one. Before the search ends on passes none of
  // which is that small, the verify size is loaded as the reference — unless the memory arithmetic, without
  // those passes, shows that every one of them fitted in memory.
  // A pass the arithmetic says cannot have fitted (its KV cache measured by its own failures) spilled: the
  // reference then shows it at once, before the search bisects between it and those failures.
  // So does a pass that generates many times slower than the host's loads in memory for its size: growing
  // from it would load ever larger sizes that spill too.
  const passedAbove = (size: number) =>
    history.some((observation) => observation.passed && sizeOf(observation) > size);
  const sizeBytes = params.knowledge?.sizeBytes ?? 0;
  const decodeBandwidth = params.knowledge?.decodeBandwidth ?? null;
  const looksSpilled = history.some(
    (observation) => observation.passed && isSlowForItsSize(observation, sizeBytes, decodeBandwidth),
  );
  const needsSpeedReference =
    !b.hasVerified &&
    b.ignoredAt === null &&
    mayRunWithoutGuardrail(loads) &&
    lacksSpeedReference(history, b.verify, (pass) => isFastForItsSize(pass, sizeBytes, decodeBandwidth)) &&
    (next.kind === "done" ? passedAbove(inMemoryUpTo) : passedAbove(outOfMemoryAbove) || looksSpilled);
  return needsSpeedReference ? probe(b.verify, "verify") : next;
};

function sizeOf(observation: Observation): number {
  return observation.applied ?? observation.requested;
}

function readEvidence(params: SearchParams, history: readonly Observation[]) {
  // Without knowledge the model's own refusals still measure it: its size is then unknown but constant, so
  // it is taken as 0 (the overhead absorbs it).
  const modelKey = params.knowledge?.modelKey ?? "";
  const sizeBytes = params.knowledge?.sizeBytes ?? 0;
  // Models of one architecture and parameter count share the KV cache per token (`kv-family.ts`).
  const shape = {
    architecture: params.knowledge?.architecture ?? null,
    params: params.knowledge?.params ?? null,
  };
  const own: HostLoad[] = withSpillsAsFailures(history).map((observation) => ({
    modelKey,
    sizeBytes,
    ...shape,
    requested: observation.requested,
    // A load that spilled did not fit: for the memory arithmetic it is an out-of-memory failure.
    applied: observation.spilled
      ? null
      : (observation.applied ?? (observation.passed ? observation.requested : null)),
    passed: observation.passed,
    memoryFailure: observation.memoryFailure ?? false,
    requiredBytes: observation.requiredBytes ?? null,
    failedKvCacheBytes: observation.failedKvCacheBytes ?? null,
  }));
  // A refused load was judged at the size LM Studio would have applied: on a host that rounds requests up,
  // the rounded one (what the refusal's stated requirement is for).
  const seen = [...(params.knowledge?.evidence ?? []), ...own];
  const step = hostRounding(seen);
  const asApplied = (load: HostLoad) =>
    load.applied === null && step !== null ? { ...load, requested: roundedUp(load.requested, step) } : load;
  const families = withAgreeingFamilies(seen.map(asApplied));
  const loads = families.loads;
  const shaped = { modelKey, sizeBytes, ...shape };
  const target = families.split.has(kvFamilyKey(shaped)) ? withoutShape(shaped) : shaped;
  let prediction = predictLimit(calibrate(loads), loads, target);
  // What the host shows to fit in memory for this model, without its own passes (which may have spilled).
  const unproven = new Set(own.filter((load) => load.passed));
  // Judged by the model's own base only: a pass it takes for fitting needs no speed reference, so a family
  // that shares less than its shape says must not vouch for it.
  const proven = seen
    .filter((load) => !unproven.has(load))
    .map(asApplied)
    .map(withoutShape);
  const inMemory = predictLimit(calibrate(proven), proven, { modelKey, sizeBytes });
  const inMemoryUpTo = inMemory?.lo ?? 0;
  const outOfMemoryAbove = inMemory?.hi ?? Number.POSITIVE_INFINITY;
  // A size that failed before is a soft ceiling too (it may have been a crash nobody recorded as a probe).
  if (prediction && params.previousBad !== null && !params.force) {
    const hi = Math.min(prediction.hi, params.previousBad - 1);
    prediction = hi >= prediction.lo || prediction.lo === 0 ? { lo: prediction.lo, hi } : prediction;
  }
  // On a host that rounds requests up, only a multiple of its step is sure to load where the prediction's
  // low end does: a request above it would be rounded past it.
  if (prediction && step !== null && prediction.lo > 0) {
    prediction = { ...prediction, lo: Math.floor(prediction.lo / step) * step };
  }
  return { prediction, guarded: hasGuardrail(loads), loads, target, inMemoryUpTo, outOfMemoryAbove };
}

/**
 * Whether the model's bytes per token come only from other models of its shape: nothing of its own base (its
 * quantisations, its earlier runs) nor the same tensors has loaded on the host. The shape may be wrong about it
 * (Phi-3.5 and Phi-4 mini).
 */
function isMeasuredByShapeOnly(
  loads: readonly HostLoad[],
  target: ModelShape & { sizeBytes: number },
): boolean {
  const family = kvFamilyKey(target);
  if (family === baseKey(target.modelKey)) return false;
  return (
    !loads.some((load) => sharesKvCache(load, target)) && loads.some((load) => kvFamilyKey(load) === family)
  );
}

/** The end on this model's pass and a sibling's failure just above it (`sibling-failure.ts`). */
function closingOnSibling(
  params: SearchParams,
  b: Bracket,
  loads: readonly HostLoad[],
  target: ModelShape & { sizeBytes: number },
): SearchStep | undefined {
  if (!params.knowledge || b.good === null) return undefined;
  const failure = siblingFailureAbove(loads, target, b.good);
  if (failure === null || (b.bad !== null && failure.context >= b.bad)) return undefined;
  const closing = closingStep(params, { ...b, bad: failure.context, spilledAt: null });
  if (closing?.kind !== "done") return closing;
  const why = `${failure.modelKey}, sharing its KV cache with weights no larger, did not fit at ${tokens(failure.context)}`;
  return { ...closing, reason: `${closing.reason} (${why})` };
}

function probe(context: number, phase: SearchPhase): SearchStep {
  return { kind: "probe", context, phase };
}

function nextFitProbe(
  params: SearchParams,
  b: Bracket,
  prediction: LimitPrediction | null,
  guarded: boolean,
  /** Behind a guardrail, predicted from other models of its shape only: refused first, the model measures itself. */
  failFirst = false,
): SearchStep {
  const { declared } = params;
  const good = b.good;
  // What the probes proved: the limit is at least `floor` (hoped for at the verify size) and at most `cap`.
  const floor = good ?? b.verify;
  const cap = b.bad === null ? declared : Math.min(declared, b.bad - 1);

  if (prediction && good === null && prediction.hi < b.verify) {
    // Predicted not to load even at the verify size: one load shows it.
    return probe(b.verify, "predict");
  }
  let lo = floor;
  let hi = cap;
  let isLowPredicted = false;
  let isHighPredicted = false;
  const contradicted =
    prediction === null ||
    (good !== null && prediction.hi < good) ||
    (b.bad !== null && prediction.lo >= b.bad);
  if (prediction && !contradicted) {
    lo = Math.min(Math.max(prediction.lo, floor), cap);
    hi = Math.max(Math.min(prediction.hi, cap), lo);
    isLowPredicted = lo > floor;
    isHighPredicted = hi < cap;
  }

  // The predicted interval fits in one step: stand on its low end, then step over its high end.
  if (good !== null && good >= lo && good + closingStepAbove(params, good) > hi) {
    return probe(Math.min(good + closingStepAbove(params, good), cap), "confirm");
  }
  if ((good === null || good < lo) && lo + closingStepAbove(params, lo) > hi) {
    // `lo` is the largest size expected to pass; its confirmation step then reaches past `hi`. Where the
    // shape alone predicts it, the step is loaded first: refused (no time lost), it states what this model
    // needs, which shows whether the shape was right before anything loads; loaded, it shows that it was not.
    const above = lo + closingStepAbove(params, lo);
    if (failFirst && good === null && b.bad === null && above <= cap) return probe(above, "confirm");
    return probe(lo, "predict");
  }
  // Bounded above (a failure, or a prediction): bisect what is left — but start where lmstrix would (the
  // threshold, below 75 % of a previous bad size) when nothing has been tried and nothing predicts a floor.
  if (b.bad !== null || isHighPredicted) {
    if (good === null && b.bad === null && !isLowPredicted) {
      const first = explore(params, b, guarded);
      if (first <= hi) return probe(first, "explore");
    }
    const low = good !== null && good >= lo ? good : lo - 1;
    return probe(Math.floor((low + hi + 1) / 2), "bisect");
  }
  // Nothing bounds it above. Behind a guardrail, explore (the declared size: a refusal measures the model);
  // elsewhere first go as far as the evidence says is safe.
  if (isLowPredicted && !guarded && (good === null || good < lo)) return probe(lo, "predict");
  return probe(explore(params, b, guarded), "explore");
}

/** A size to try when nothing predicts the limit from above. */
function explore(params: SearchParams, b: Bracket, guarded: boolean): number {
  const { declared } = params;
  const previousBadCap =
    params.previousBad !== null && !params.force
      ? Math.floor(params.previousBad * PREVIOUS_BAD_SHARE)
      : Number.POSITIVE_INFINITY;
  // Behind a guardrail a load that does not fit is refused before anything loads, and its refusal measures the
  // model: go straight for the declared size. Otherwise lmstrix's caution: the threshold first, then doubling.
  // A threshold of the user's own (any but the default: run options keep no record of what was typed) is kept
  // to at first behind a guardrail too, as its help promises ("do not go above N tokens at first").
  const keepsThreshold = !guarded || params.threshold !== DEFAULT_THRESHOLD;
  const first = keepsThreshold ? Math.min(params.threshold, declared) : declared;
  const target = b.good === null ? first : guarded ? declared : Math.min(declared, b.good * BLIND_GROWTH);
  const good = b.good;
  if (good === null) return Math.max(b.verify, Math.min(target, previousBadCap));
  // Near a size that failed before, creep up by lmstrix's 10 % instead.
  const next = good < previousBadCap ? Math.min(target, previousBadCap) : good * 1.1;
  return Math.min(declared, Math.max(good + 1, Math.floor(next)));
}
