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
}

export function resolveFaults(model: Pick<FleetModel, "faults">): ModelFaults {
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
  };
  for (const fault of model.faults) {
    if (typeof fault === "string") {
      if (fault === "slowPrediction") faults.slowPredictionFactor = DEFAULT_SLOW_PREDICTION_FACTOR;
      else faults[fault] = true;
    } else if ("crashAbove" in fault) faults.crashAbove = fault.crashAbove;
    else if ("loadFailsAbove" in fault) faults.loadFailsAbove = fault.loadFailsAbove;
    else if ("hangAbove" in fault) faults.hangAbove = fault.hangAbove;
    else if ("silentReduce" in fault) faults.silentReduce = fault.silentReduce;
    else if ("disconnectAfterLoads" in fault) faults.disconnectAfterLoads = fault.disconnectAfterLoads;
    else if ("truncatePromptAbove" in fault) faults.truncatePromptAbove = fault.truncatePromptAbove;
    else faults.slowPredictionFactor = fault.slowPrediction;
  }
  return faults;
}

/** The context a load really gets: `silentReduce` caps it without telling the client. */
export function appliedContextLength(faults: ModelFaults, requested: number): number {
  return faults.silentReduce === null ? requested : Math.min(requested, faults.silentReduce);
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
