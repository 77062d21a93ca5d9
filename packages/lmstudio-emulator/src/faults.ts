import type { FleetModel } from "./fleet/schema.js";
import type { BuiltPrompt } from "./prompt.js";
import { splitTokens } from "./tokenizer.js";

/** Default slow-down of `"slowPrediction"` without a factor. */
export const DEFAULT_SLOW_PREDICTION_FACTOR = 20;

/**
 * The faults of one model, normalised from the fleet file's `faults` array. Context thresholds
 * refer to the *applied* (actually loaded) context length.
 */
export interface ModelFaults {
  /** The first prediction after each load fails with "Unable to reuse from cache: llama_memory is null". */
  memoryCacheNull: boolean;
  /** `unloadModel` unloads the instance but answers with the not-found error. */
  notFoundOnUnload: boolean;
  /** Every load stalls at progress 0.999 until cancelled or the socket closes. */
  hangOnLoad: boolean;
  /** Predictions run this many times slower (1 = normal speed). */
  slowPredictionFactor: number;
  /** A prediction on an instance loaded at context ≥ N crashes it (exit code 6). */
  crashAbove: number | null;
  /** A load at context > N fails with "Failed to load model" (exit code 18446744072635812000). */
  loadFailsAbove: number | null;
  /** A load at context > N stalls at 0.999 like hangOnLoad. */
  hangAbove: number | null;
  /** Loads are silently capped at N tokens (reported back as the loaded context). */
  silentReduce: number | null;
  /** After the K-th successful load of this model the server drops that client's sockets (once). */
  disconnectAfterLoads: number | null;
  /** A prompt of more than N tokens is silently cut to its last N tokens (stats report N). */
  truncatePromptAbove: number | null;
  /** The applied context is the request rounded up to a multiple of N (0.4.23: 40,000 → 40,192 with 256). */
  roundContext: number | null;
  /** Every load is applied at N whatever was asked (the flag means the declared context). */
  ignoresRequestedContext: number | null;
  /** A load above what fits is applied at the largest context that fits, without a word. */
  autoFit: boolean;
  /** No guardrail refusal: a load above memory runs and fails late with an out-of-memory error. */
  noGuardrail: boolean;
  /** With noGuardrail: a load up to F × memory succeeds by spilling into system RAM, 10× slower. */
  spillToRam: number | null;
}

export function resolveFaults(model: Pick<FleetModel, "faults" | "maxContextLength">): ModelFaults {
  const faults: ModelFaults = {
    memoryCacheNull: false,
    notFoundOnUnload: false,
    hangOnLoad: false,
    slowPredictionFactor: 1,
    crashAbove: null,
    loadFailsAbove: null,
    hangAbove: null,
    silentReduce: null,
    disconnectAfterLoads: null,
    truncatePromptAbove: null,
    roundContext: null,
    ignoresRequestedContext: null,
    autoFit: false,
    noGuardrail: false,
    spillToRam: null,
  };
  for (const fault of model.faults) {
    if (typeof fault === "string") {
      if (fault === "slowPrediction") faults.slowPredictionFactor = DEFAULT_SLOW_PREDICTION_FACTOR;
      else if (fault === "ignoresRequestedContext") faults.ignoresRequestedContext = model.maxContextLength;
      else faults[fault] = true;
    } else if ("crashAbove" in fault) faults.crashAbove = fault.crashAbove;
    else if ("loadFailsAbove" in fault) faults.loadFailsAbove = fault.loadFailsAbove;
    else if ("hangAbove" in fault) faults.hangAbove = fault.hangAbove;
    else if ("silentReduce" in fault) faults.silentReduce = fault.silentReduce;
    else if ("disconnectAfterLoads" in fault) faults.disconnectAfterLoads = fault.disconnectAfterLoads;
    else if ("truncatePromptAbove" in fault) faults.truncatePromptAbove = fault.truncatePromptAbove;
    else if ("roundContext" in fault) faults.roundContext = fault.roundContext;
    else if ("ignoresRequestedContext" in fault)
      faults.ignoresRequestedContext = fault.ignoresRequestedContext;
    else if ("spillToRam" in fault) faults.spillToRam = fault.spillToRam;
    else faults.slowPredictionFactor = fault.slowPrediction;
  }
  return faults;
}

/**
 * The context LM Studio sets out to load for a request, before memory is considered: an ignored request becomes
 * N, then it is rounded up to a multiple of `roundContext`, then capped by `silentReduce`. Memory may still
 * lower it (`autoFit`) or refuse it (see load-plan.ts).
 */
export function targetContextLength(faults: ModelFaults, requested: number): number {
  let target = faults.ignoresRequestedContext ?? requested;
  if (faults.roundContext !== null) target = Math.ceil(target / faults.roundContext) * faults.roundContext;
  if (faults.silentReduce !== null) target = Math.min(target, faults.silentReduce);
  return target;
}

/** Whether a load at this applied context stalls at 0.999 forever. */
export function loadHangs(faults: ModelFaults, applied: number): boolean {
  return faults.hangOnLoad || (faults.hangAbove !== null && applied > faults.hangAbove);
}

export function loadFails(faults: ModelFaults, applied: number): boolean {
  return faults.loadFailsAbove !== null && applied > faults.loadFailsAbove;
}

export function predictionCrashes(faults: ModelFaults, loadedContext: number): boolean {
  return faults.crashAbove !== null && loadedContext >= faults.crashAbove;
}

/**
 * The prompt the model really processes: with `truncatePromptAbove` a longer prompt loses its head (as a
 * rolling window keeps the newest tokens), so only its last N tokens remain and the stats count only those.
 * A question cut at its start keeps what is left of it.
 */
export function processedPrompt(faults: ModelFaults, prompt: BuiltPrompt): BuiltPrompt {
  const limit = faults.truncatePromptAbove;
  if (limit === null) return prompt;
  const tokens = splitTokens(prompt.text);
  if (tokens.length <= limit) return prompt;
  const text = tokens.slice(tokens.length - limit).join("");
  const droppedChars = prompt.text.length - text.length;
  const questionStart = prompt.text.lastIndexOf(prompt.question);
  const question =
    questionStart >= 0 && droppedChars > questionStart
      ? prompt.question.slice(droppedChars - questionStart)
      : prompt.question;
  return { text, question };
}
