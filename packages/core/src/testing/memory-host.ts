import type { HostLoad } from "../engine/memory-model";
import type { Observation, SearchParams, SearchStep, Strategy } from "../engine/search";

/**
 * A pure stand-in for an LM Studio host's memory, for unit tests of the search strategies: loads cost
 * `size + overhead + C × kvBytesPerToken` (or any formula a test gives), a load that does not fit is refused
 * with the requirement stated in GB with two decimals (or, without a guardrail, fails with no figure), and a
 * model may carry the emulator's faults. No sockets, no timing: a search over a whole fleet takes milliseconds.
 */

export const GiB = 1024 ** 3;
export const KiB = 1024;
export const SIMULATED_OVERHEAD_BYTES = 512 * 1024 ** 2;

export interface SimulatedModel {
  modelKey: string;
  sizeBytes: number;
  kvBytesPerToken: number;
  declared: number;
  /** A load above N fails after loading some (not a memory failure). */
  loadFailsAbove?: number;
  /** The check prompt crashes the model loaded at ≥ N (it did load). */
  crashAbove?: number;
  /** A load above N hangs until the engine gives up (a TIMEOUT: fails, not a memory failure). */
  hangAbove?: number;
  /** Loads are capped at N without a word; the applied size says so. */
  silentReduce?: number;
  /** LM Studio 0.4.23: the applied context is the request rounded up to a multiple of N. */
  roundContext?: number;
  /** Every load is applied at N whatever is asked (refused like any load when N does not fit). */
  ignoresRequestedContext?: number;
  /** A load that does not fit is applied at the largest context that fits (rounded down), without a word. */
  autoFit?: boolean;
  /** Without a guardrail: a load needing up to F × memory succeeds by spilling, 10× slower. */
  spillToRam?: number;
}

/** Prompt and generation speeds of a load in memory; a load that spilled runs `SPILL_SLOWDOWN_FACTOR` slower. */
export const SIMULATED_SPEEDS = { promptTokensPerSec: 1_000, genTokensPerSec: 50 } as const;
export const SPILL_SLOWDOWN_FACTOR = 10;

export interface SimulatedHost {
  memoryBytes: number;
  overheadBytes?: number;
  /** LM Studio's guardrail: refusals state what the load needs (default). Without it: a bare out-of-memory. */
  guardrail?: boolean;
  /**
   * Without a guardrail: a load whose weights fit but whose KV cache does not fails naming that buffer's size
   * (llama.cpp's "failed to allocate CUDA0 buffer of size N" … "for kv cache"), applied × kvBytesPerToken.
   */
  namesKvCache?: boolean;
  /** The memory a load really needs (default: size + overhead + C × kvBytesPerToken). */
  required?: (model: SimulatedModel, applied: number) => number;
}

function requiredBytes(host: SimulatedHost, model: SimulatedModel, applied: number): number {
  if (host.required) return host.required(model, applied);
  return model.sizeBytes + (host.overheadBytes ?? SIMULATED_OVERHEAD_BYTES) + applied * model.kvBytesPerToken;
}

/** LM Studio's "requires approximately X GB": bytes / 1024³ with two decimals, read back as bytes. */
export function statedRequirement(bytes: number): number {
  return Math.round(Number((bytes / GiB).toFixed(2)) * GiB);
}

/** The context LM Studio applies for a request of `context`, before memory decides (rounding, ignoring, caps). */
function targetContext(model: SimulatedModel, context: number): number {
  let target = model.ignoresRequestedContext ?? context;
  if (model.roundContext) target = Math.ceil(target / model.roundContext) * model.roundContext;
  return model.silentReduce === undefined ? target : Math.min(target, model.silentReduce);
}

/** The largest context whose load fits in memory (a multiple of the model's rounding); 0 when none does. */
function largestFitting(host: SimulatedHost, model: SimulatedModel): number {
  let good = 0;
  let bad = 20_000_000;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (requiredBytes(host, model, middle) <= host.memoryBytes) good = middle;
    else bad = middle;
  }
  return model.roundContext ? Math.floor(good / model.roundContext) * model.roundContext : good;
}

/** What a probe at `context` shows, as the engine would record it. */
export function simulateProbe(host: SimulatedHost, model: SimulatedModel, context: number): Observation {
  let applied = targetContext(model, context);
  if (model.autoFit && requiredBytes(host, model, applied) > host.memoryBytes) {
    applied = largestFitting(host, model);
  }
  const needed = requiredBytes(host, model, applied);
  const spills =
    needed > host.memoryBytes &&
    host.guardrail === false &&
    model.spillToRam !== undefined &&
    needed <= model.spillToRam * host.memoryBytes;
  if (needed > host.memoryBytes && !spills) {
    const weightsFit = requiredBytes(host, model, 0) <= host.memoryBytes;
    const namesKvCache = host.guardrail === false && host.namesKvCache === true && weightsFit;
    return {
      requested: context,
      applied: null,
      passed: false,
      memoryFailure: true,
      requiredBytes: host.guardrail === false ? null : statedRequirement(needed),
      ...(namesKvCache && { failedKvCacheBytes: applied * model.kvBytesPerToken }),
    };
  }
  const isLoadFailure =
    (model.loadFailsAbove !== undefined && applied > model.loadFailsAbove) ||
    (model.hangAbove !== undefined && applied > model.hangAbove);
  if (isLoadFailure) return { requested: context, applied: null, passed: false };
  const slowdown = spills ? SPILL_SLOWDOWN_FACTOR : 1;
  const speeds = {
    promptTokensPerSec: SIMULATED_SPEEDS.promptTokensPerSec / slowdown,
    genTokensPerSec: SIMULATED_SPEEDS.genTokensPerSec / slowdown,
  };
  if (model.crashAbove !== undefined && applied >= model.crashAbove) {
    return { requested: context, applied, passed: false, ...speeds };
  }
  return { requested: context, applied, passed: true, ...speeds };
}

/** The largest context that loads and answers (not capped by the declared size); 0 when none. */
export function hiddenLimit(host: SimulatedHost, model: SimulatedModel): number {
  let good = 0;
  let bad = 20_000_000;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    const observation = simulateProbe(host, model, middle);
    if (observation.passed && observation.applied === middle) good = middle;
    else bad = middle;
  }
  return model.silentReduce === undefined ? good : Math.min(good, model.silentReduce);
}

export interface SearchOutcome {
  modelKey: string;
  limit: number | null;
  reason: string;
  probes: number[];
  steps: Extract<SearchStep, { kind: "probe" }>[];
}

export type BaseParams = Omit<SearchParams, "declared" | "knowledge">;

export const LMSTRIX_DEFAULTS: BaseParams = {
  threshold: 31_744,
  verifyContext: 2_048,
  previousBad: null,
  force: false,
};

/**
 * Runs one model's search to its end. With `evidence`, the strategy gets it as knowledge, and the model's own
 * loads are appended to it afterwards (as the store would have them for the next model).
 */
export function searchModel(
  strategy: Strategy,
  host: SimulatedHost,
  model: SimulatedModel,
  params: BaseParams = LMSTRIX_DEFAULTS,
  evidence?: HostLoad[],
): SearchOutcome {
  const history: Observation[] = [];
  const steps: SearchOutcome["steps"] = [];
  const knowledge = evidence
    ? { modelKey: model.modelKey, sizeBytes: model.sizeBytes, evidence: [...evidence] }
    : undefined;
  for (let step = 0; step < 200; step += 1) {
    const next = strategy({ ...params, declared: model.declared, knowledge }, history);
    if (next.kind === "done") {
      for (const observation of history) evidence?.push(asLoad(model, observation));
      return {
        modelKey: model.modelKey,
        limit: next.limit,
        reason: next.reason,
        probes: history.map((o) => o.requested),
        steps,
      };
    }
    steps.push(next);
    history.push(simulateProbe(host, model, next.context));
  }
  throw new Error(`the search of ${model.modelKey} did not finish`);
}

export function asLoad(model: SimulatedModel, observation: Observation): HostLoad {
  return {
    modelKey: model.modelKey,
    sizeBytes: model.sizeBytes,
    requested: observation.requested,
    applied: observation.applied,
    passed: observation.passed,
    memoryFailure: observation.memoryFailure ?? false,
    requiredBytes: observation.requiredBytes ?? null,
    failedKvCacheBytes: observation.failedKvCacheBytes ?? null,
  };
}

/** Whether a found limit is right: never above the truth, and within the precision below it. */
export function isWithinPrecision(
  found: number | null,
  host: SimulatedHost,
  model: SimulatedModel,
  params: BaseParams = LMSTRIX_DEFAULTS,
): boolean {
  const verify = Math.min(params.verifyContext, model.declared);
  const truth = Math.min(hiddenLimit(host, model), model.declared);
  if (truth < verify) return found === null;
  if (found === null || found > truth) return false;
  if (truth === model.declared) return found === truth;
  const tolerance = params.precision ?? Math.max(256, Math.ceil((truth + Math.max(256, truth / 99)) / 100));
  return truth - found <= tolerance;
}
