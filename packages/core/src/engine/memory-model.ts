import { MAX_CONTEXT } from "../domain/model";
import { kvFamilyKey, sharesKvCache } from "./kv-family";
import { isEmpty, largestContext, type Range, tighten, times } from "./ranges";

export { baseKey } from "./kv-family";
export type { Range } from "./ranges";

/**
 * Memory arithmetic over the loads one host has seen (pure functions; the `fit` search's evidence).
 *
 * The model: a load at context C needs `required(C) = sizeBytes + overhead + C × kvBytesPerToken`, and LM
 * Studio's guardrail refuses it when that is more than the memory M it may use. On one host M and the overhead
 * are shared by every model; bytes-per-token (k) is the KV cache's, which depends on the architecture and not
 * on the weights' quantisation: the models of one family (`kv-family.ts`: a base, or a shape) share it. A
 * refusal states `required(C)` (rounded to a hundredth of a GB): one such number per model gives k once the
 * overhead is known, two give k and the overhead. Without a guardrail, a load out of memory whose KV cache could
 * not be allocated names that buffer's size: C × k for the context C asked, so it gives k by itself.
 *
 * Everything is kept as an interval (what the evidence proves, given the model above), never a point
 * estimate: a prediction is exactly as sharp as the evidence. Evidence that contradicts the model (another
 * formula, memory that changed between runs, other models kept loaded) makes the calibration inconsistent, and
 * the search then uses no memory prediction at all.
 */

const GiB = 1024 ** 3;

/** LM Studio states requirements in GB with two decimals: the true figure is within half a hundredth. */
export const REQUIRED_BYTES_TOLERANCE = 0.005 * GiB + 1;

/** llama.cpp names a failed buffer in bytes, or in MiB with two decimals: the true size is within this. */
export const KV_CACHE_BYTES_TOLERANCE = 0.005 * 1024 ** 2 + 1;

/** One finished load of a model on the host. */
export interface HostLoad {
  modelKey: string;
  sizeBytes: number;
  /** The model's architecture and parameter count as the host reports them: models alike share k (`kv-family.ts`). */
  architecture?: string | null;
  params?: string | null;
  requested: number;
  /** The context the model was loaded at (whatever happened next); `null` when the load itself failed. */
  applied: number | null;
  /** Loaded and answered the check prompts. */
  passed: boolean;
  /** Failed for lack of memory (the guardrail, or an out-of-memory error). */
  memoryFailure: boolean;
  /** What the refusal said the load needs, in bytes. */
  requiredBytes: number | null;
  /**
   * Without a guardrail: the KV cache buffer the engine failed to allocate, in bytes — the whole cache of the
   * context asked (`requested` × bytes per token), so it measures the base's k.
   */
  failedKvCacheBytes?: number | null;
  /** Made in the run being searched: what another model showed then still holds (memory did not change). */
  inThisRun?: boolean;
}

/** What a refusal proves about a base: required − size at `context` lies in [lo, hi]. */
interface Anchor {
  context: number;
  lo: number;
  hi: number;
}

interface BaseFit {
  anchors: Anchor[];
  /** Bytes per token of context. */
  kvBytesPerToken: Range;
}

export interface MemoryCalibration {
  /** False when the loads contradict the memory model; nothing should be predicted from it then. */
  consistent: boolean;
  /**
   * Bases whose loads contradict the model (a silently reduced load refused at its reduced size, another KV
   * layout…): left out of the calibration, and nothing is predicted for them from memory.
   */
  irregular: ReadonlySet<string>;
  /** Fixed bytes every load needs besides the weights and the KV cache. */
  overhead: Range;
  /** The memory LM Studio may use: every load needing ≤ `lo` fits, none needing > `hi` does. */
  memory: Range;
  /**
   * Memory minus overhead: what the weights and the KV cache may take. Without a guardrail nothing states a
   * requirement, so memory and overhead stay unknown apart, but passes and failures still bound their
   * difference — all a prediction needs.
   */
  headroom: Range;
  bases: ReadonlyMap<string, BaseFit>;
}

/** Rounds of bound propagation: each round can only tighten; a few suffice for the chains that occur. */
const ROUNDS = 5;

/**
 * The host's memory, overhead and each base's bytes per token, as far as the loads prove them. Bases whose own
 * loads contradict the model are set aside first; then, if the rest still disagree, the one base whose removal
 * makes them agree; failing that, the calibration is marked inconsistent.
 */
export function calibrate(loads: readonly HostLoad[]): MemoryCalibration {
  const all = fitLoads(loads, new Set());
  if (all.consistent) return all;
  const irregular = new Set<string>();
  const byBase = new Map<string, HostLoad[]>();
  for (const load of loads) {
    const key = kvFamilyKey(load);
    byBase.set(key, [...(byBase.get(key) ?? []), load]);
  }
  for (const [key, own] of byBase) if (!fitLoads(own, new Set()).consistent) irregular.add(key);
  const regular = (skip: ReadonlySet<string>) => loads.filter((load) => !skip.has(kvFamilyKey(load)));
  const rest = fitLoads(regular(irregular), irregular);
  if (rest.consistent) return rest;
  for (const key of byBase.keys()) {
    if (irregular.has(key)) continue;
    const skip = new Set([...irregular, key]);
    const without = fitLoads(regular(skip), skip);
    if (without.consistent) return without;
  }
  return { ...rest, consistent: false };
}

function fitLoads(loads: readonly HostLoad[], irregular: ReadonlySet<string>): MemoryCalibration {
  const bases = new Map<string, BaseFit>();
  const fitOf = (load: HostLoad): BaseFit => {
    const key = kvFamilyKey(load);
    let fit = bases.get(key);
    if (!fit) {
      fit = { anchors: [], kvBytesPerToken: { lo: 0, hi: Number.POSITIVE_INFINITY } };
      bases.set(key, fit);
    }
    return fit;
  };
  for (const load of loads) {
    const fit = fitOf(load);
    if (!load.passed && load.applied === null && load.requiredBytes !== null && load.requested > 0) {
      const y = load.requiredBytes - load.sizeBytes;
      fit.anchors.push({
        context: load.requested,
        lo: y - REQUIRED_BYTES_TOLERANCE,
        hi: y + REQUIRED_BYTES_TOLERANCE,
      });
    }
    const kvCache = load.failedKvCacheBytes ?? null;
    if (!load.passed && load.applied === null && kvCache !== null && load.requested > 0) {
      tighten(
        fit.kvBytesPerToken,
        (kvCache - KV_CACHE_BYTES_TOLERANCE) / load.requested,
        (kvCache + KV_CACHE_BYTES_TOLERANCE) / load.requested,
      );
    }
  }
  for (const fit of bases.values()) fit.anchors = withoutReducedRefusals(fit.anchors);
  const overhead: Range = { lo: 0, hi: Number.POSITIVE_INFINITY };
  const memory: Range = { lo: 0, hi: Number.POSITIVE_INFINITY };
  // Not even its sign is known before something loads (memory may be less than the overhead).
  const headroom: Range = { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY };

  for (let round = 0; round < ROUNDS; round += 1) {
    for (const fit of bases.values()) {
      const k = fit.kvBytesPerToken;
      // Two refusals of one base: the slope between them is k.
      for (const upper of fit.anchors) {
        for (const lower of fit.anchors) {
          if (upper.context <= lower.context) continue;
          const span = upper.context - lower.context;
          tighten(k, (upper.lo - lower.hi) / span, (upper.hi - lower.lo) / span);
        }
      }
      // One refusal ties k and the overhead together.
      for (const anchor of fit.anchors) {
        tighten(k, (anchor.lo - overhead.hi) / anchor.context, (anchor.hi - overhead.lo) / anchor.context);
        tighten(overhead, anchor.lo - times(k.hi, anchor.context), anchor.hi - k.lo * anchor.context);
      }
    }
    for (const load of loads) {
      const fit = fitOf(load);
      const k = fit.kvBytesPerToken;
      if (load.applied !== null && load.applied > 0) {
        // It loaded: what it needed fits.
        memory.lo = Math.max(memory.lo, load.sizeBytes + requiredLow(fit, overhead, load.applied));
        tighten(k, 0, (memory.hi - load.sizeBytes - overhead.lo) / load.applied);
        headroom.lo = Math.max(headroom.lo, load.sizeBytes + k.lo * load.applied);
        tighten(k, 0, (headroom.hi - load.sizeBytes) / load.applied);
      } else if (load.memoryFailure && load.requested > 0) {
        // Refused for memory: what it needed does not fit.
        const needed =
          load.requiredBytes !== null
            ? load.requiredBytes + REQUIRED_BYTES_TOLERANCE
            : load.sizeBytes + requiredHigh(fit, overhead, load.requested);
        memory.hi = Math.min(memory.hi, needed);
        tighten(k, (memory.lo - load.sizeBytes - overhead.hi) / load.requested, Number.POSITIVE_INFINITY);
        // Weights and KV cache took more than memory less the overhead (whatever size LM Studio applied: it is
        // never above the request).
        headroom.hi = Math.min(headroom.hi, load.sizeBytes + times(k.hi, load.requested));
        tighten(k, (headroom.lo - load.sizeBytes) / load.requested, Number.POSITIVE_INFINITY);
      }
    }
    // headroom = memory − overhead, each bounding the others.
    tighten(headroom, memory.lo - overhead.hi, memory.hi - overhead.lo);
    tighten(memory, headroom.lo + overhead.lo, headroom.hi + overhead.hi);
    tighten(overhead, memory.lo - headroom.hi, memory.hi - headroom.lo);
  }

  const ranges = [overhead, memory, headroom, ...[...bases.values()].map((fit) => fit.kvBytesPerToken)];
  return {
    consistent: ranges.every((range) => !isEmpty(range)),
    irregular,
    overhead,
    memory,
    headroom,
    bases,
  };
}

export interface LimitPrediction {
  /** The host's evidence says the model loads at this size (0: no evidence of any size). */
  lo: number;
  /** The evidence says it does not load above this size (`Infinity`: no evidence; −1: not even at 0). */
  hi: number;
}

/**
 * The largest context the target model should load at on this host, as an interval, from
 * - the memory arithmetic (the host's memory, overhead, and the base's bytes per token), and
 * - direct comparisons that need no arithmetic: a sibling at least as large that loaded at C means the target
 *   loads at C; a sibling at most as large refused at C for memory means the target will be too; the model's
 *   own earlier results on the host count as they are (any failure, not only memory).
 * `null` when the two disagree with each other beyond repair (then nothing is predicted).
 */
export function predictLimit(
  calibration: MemoryCalibration,
  loads: readonly HostLoad[],
  target: { modelKey: string; sizeBytes: number; architecture?: string | null; params?: string | null },
): LimitPrediction | null {
  const family = kvFamilyKey(target);
  const byMemory: LimitPrediction = { lo: 0, hi: Number.POSITIVE_INFINITY };
  if (calibration.consistent && !calibration.irregular.has(family)) {
    const fit = calibration.bases.get(family) ?? {
      anchors: [],
      kvBytesPerToken: { lo: 0, hi: Number.POSITIVE_INFINITY },
    };
    const { memory, overhead } = calibration;
    if (memory.lo > 0) {
      byMemory.lo = Math.max(
        0,
        largestContext((c) => target.sizeBytes + requiredHigh(fit, overhead, c) <= memory.lo),
      );
    }
    if (Number.isFinite(memory.hi)) {
      const hi = largestContext((c) => target.sizeBytes + requiredLow(fit, overhead, c) <= memory.hi);
      byMemory.hi = hi >= MAX_CONTEXT ? Number.POSITIVE_INFINITY : hi;
    }
    // The same from the headroom alone (all there is without a guardrail): weights + C × k within it.
    const k = fit.kvBytesPerToken;
    const { headroom } = calibration;
    if (headroom.lo > 0) {
      const lo = largestContext((c) => target.sizeBytes + times(k.hi, c) <= headroom.lo);
      byMemory.lo = Math.max(byMemory.lo, lo);
    }
    if (Number.isFinite(headroom.hi)) {
      const hi = largestContext((c) => target.sizeBytes + k.lo * c <= headroom.hi);
      if (hi < MAX_CONTEXT) byMemory.hi = Math.min(byMemory.hi, hi);
    }
  }

  const byComparison: LimitPrediction = { lo: 0, hi: Number.POSITIVE_INFINITY };
  for (const load of loads) {
    if (!sharesKvCache(load, target)) continue;
    const isSelf = load.modelKey === target.modelKey;
    // Another model's pass shows what memory allows, like the arithmetic (this one may crash below it).
    const reached = isSelf ? byComparison : byMemory;
    if (load.passed && (isSelf || load.sizeBytes >= target.sizeBytes)) {
      reached.lo = Math.max(reached.lo, load.applied ?? load.requested);
    }
    if (!load.passed && (isSelf || (load.memoryFailure && load.sizeBytes <= target.sizeBytes))) {
      byComparison.hi = Math.min(byComparison.hi, load.requested - 1);
    }
  }

  // Memory says how far memory allows; something else (a crash, a failing or hanging load) may stop the model
  // earlier. When a direct comparison already does, the memory's lower end says nothing about the limit.
  const isMemoryBinding = byComparison.hi >= byMemory.lo;
  const both = {
    lo: isMemoryBinding ? Math.max(byMemory.lo, byComparison.lo) : byComparison.lo,
    hi: Math.min(byMemory.hi, byComparison.hi),
  };
  if (isPossible(both)) return both;
  // The model's own history disagrees with itself (a flaky size) or with the host: trust the arithmetic alone.
  return isPossible(byMemory) ? byMemory : null;
}

/** `lo` 0 is "no evidence that any size loads", which agrees with "not even at 0" (`hi` −1). */
function isPossible(prediction: LimitPrediction): boolean {
  return prediction.lo === 0 || prediction.lo <= prediction.hi;
}

/** Whether any load on the host was refused with a stated requirement: LM Studio's guardrail is on there. */
export function hasGuardrail(loads: readonly HostLoad[]): boolean {
  return loads.some((load) => !load.passed && load.requiredBytes !== null);
}

/**
 * Whether the host runs some loads without LM Studio's guardrail (it is a per-model setting too): one ran out
 * of memory with no stated requirement (a late "out of memory", or a load that spilled into system memory).
 */
export function mayRunWithoutGuardrail(loads: readonly HostLoad[]): boolean {
  return loads.some((load) => load.memoryFailure && load.requiredBytes === null);
}

/** Requests this far apart differ by more KV cache than the rounding of a stated requirement hides. */
const REDUCED_REQUEST_RATIO = 1.25;
/**
 * Refusals of one base that state the same requirement at different requests were not for what was asked
 * (LM Studio reduced the larger request, silently, to a size it loads whatever is asked above it), and may not
 * be for the smaller request either: they anchor nothing. They still say the memory is less than they state.
 */
function withoutReducedRefusals(anchors: readonly Anchor[]): Anchor[] {
  return anchors.filter(
    (anchor) =>
      !anchors.some(
        (other) =>
          Math.max(other.context, anchor.context) >=
            REDUCED_REQUEST_RATIO * Math.min(other.context, anchor.context) &&
          other.lo <= anchor.hi &&
          anchor.lo <= other.hi,
      ),
  );
}

/** Lower bound of required − size at context c for a base. */
function requiredLow(fit: BaseFit, overhead: Range, c: number): number {
  const k = fit.kvBytesPerToken;
  let low = overhead.lo + k.lo * c;
  for (const anchor of fit.anchors) {
    const d = c - anchor.context;
    low = Math.max(low, d >= 0 ? anchor.lo + k.lo * d : anchor.lo - times(k.hi, -d));
  }
  return low;
}

/** Upper bound of required − size at context c for a base. */
function requiredHigh(fit: BaseFit, overhead: Range, c: number): number {
  const k = fit.kvBytesPerToken;
  let high = overhead.hi + times(k.hi, c);
  for (const anchor of fit.anchors) {
    const d = c - anchor.context;
    high = Math.min(high, d >= 0 ? anchor.hi + times(k.hi, d) : anchor.hi - k.lo * -d);
  }
  return high;
}
