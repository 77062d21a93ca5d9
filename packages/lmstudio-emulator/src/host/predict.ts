import { predictionCrashes, processedPrompt } from "../faults.js";
import type { Logger } from "../logger.js";
import { contextOverflow, memoryCacheNull, modelCrashed, modelUnloaded } from "../protocol/errors.js";
import { generateReply } from "../replies.js";
import { scaledDelayMs, sleep } from "../timing.js";
import { countTokens, splitTokens } from "../tokenizer.js";
import { type EmulatorCounters, startOne } from "./counters.js";
import type { InstanceRegistry } from "./instances.js";
import type { PredictionOutcome, PredictionRequest, PredictionStats, StopReason } from "./types.js";

/** Prompt processing reports progress about every this many tokens (at most 20 packets). */
const PROMPT_PROGRESS_CHUNK = 512;

/** How much slower an instance that spilled into system RAM (`spillToRam`) processes and generates. */
export const SPILL_SLOWDOWN = 10;

/** What a prediction needs from the host. */
export interface PredictDeps {
  readonly timeScale: number;
  readonly seed: number;
  readonly logger: Logger;
  readonly counters: EmulatorCounters;
  readonly instances: InstanceRegistry;
}

/** One prediction, counted: started, then succeeded, cancelled or failed. */
export async function predict(deps: PredictDeps, request: PredictionRequest): Promise<PredictionOutcome> {
  const { counters } = deps;
  counters.predictions++;
  startOne(counters, "Predictions");
  try {
    const outcome = await runPrediction(deps, request);
    if (outcome.stats.stopReason === "userStopped") counters.predictionsCancelled++;
    else counters.predictionsSucceeded++;
    return outcome;
  } catch (error) {
    counters.predictionsFailed++;
    throw error;
  } finally {
    counters.concurrentPredictions--;
  }
}

async function runPrediction(deps: PredictDeps, request: PredictionRequest): Promise<PredictionOutcome> {
  const { instances } = deps;
  const { instance, predictionConfig } = request;
  const { model, faults } = instance;
  if (!instances.isLoaded(instance)) throw modelUnloaded();
  instances.touch(instance);

  // `truncatePromptAbove` silently drops the head of a long prompt: everything below sees only the rest.
  const prompt = processedPrompt(faults, request.prompt);
  const promptTokens = countTokens(prompt.text);
  if (promptTokens >= instance.contextLength) throw contextOverflow(promptTokens, instance.contextLength);
  instance.predictionsSinceLoad++;
  if (faults.memoryCacheNull && instance.predictionsSinceLoad === 1) throw memoryCacheNull();
  if (predictionCrashes(faults, instance.contextLength)) {
    instances.remove(instance);
    deps.counters.crashes++;
    deps.logger.info(`instance ${instance.identifier} crashed (loaded at ${instance.contextLength})`);
    throw modelCrashed();
  }

  // Weights and cache partly in system RAM: every token crosses the bus, prompt and generation alike.
  const slow = faults.slowPredictionFactor * (instance.spillsToSystemMemory ? SPILL_SLOWDOWN : 1);
  const promptTps = model.promptTokensPerSecond / slow;
  const generationTps = model.generationTokensPerSecond / slow;
  const promptSeconds = promptTokens / promptTps;
  const pause = (modelSeconds: number, stop: AbortSignal) => pauseFor(modelSeconds, deps.timeScale, stop);

  // Cancel and socket close both stop the loops below; only cancel still answers the client.
  const stop = AbortSignal.any([request.cancel, request.socketClosed]);
  const finish = (stopReason: StopReason, content: string, predicted: number): PredictionOutcome => {
    const generationSeconds = predicted / generationTps;
    const stats: PredictionStats = {
      stopReason,
      tokensPerSecond: round(generationTps, 2),
      totalTimeSec: round(promptSeconds + generationSeconds, 3),
      promptTokensCount: promptTokens,
      predictedTokensCount: predicted,
      totalTokensCount: promptTokens + predicted,
    };
    if (predicted > 0) stats.timeToFirstTokenSec = round(promptSeconds + 1 / generationTps, 3);
    return { content, stats };
  };

  const progressSteps = Math.min(20, Math.max(1, Math.ceil(promptTokens / PROMPT_PROGRESS_CHUNK)));
  request.onPromptProgress(0);
  for (let step = 1; step <= progressSteps; step++) {
    if (!(await pause(promptSeconds / progressSteps, stop))) return finish("userStopped", "", 0);
    request.onPromptProgress(step / progressSteps);
  }

  const reply = generateReply({
    question: prompt.question,
    context: prompt.text,
    // Attention fails over long inputs, not over a large empty window: short prompts stay correct at any
    // loaded size, a prompt longer than the effective context gets a wrong answer (as filled checks expect).
    degraded: promptTokens > model.effectiveContext,
    seed: deps.seed,
    recall: model.recall === undefined ? undefined : { curve: model.recall, promptTokens },
  });
  const { text, stoppedByString } = applyStopStrings(
    reply,
    predictionConfig.get("llm.prediction.stopStrings"),
  );
  const tokens = splitTokens(text);
  const maxTokens = maxPredictedTokens(predictionConfig);
  const room = instance.contextLength - promptTokens;
  let content = "";
  let predicted = 0;
  for (const token of tokens) {
    if (maxTokens !== null && predicted >= maxTokens)
      return finish("maxPredictedTokensReached", content, predicted);
    if (predicted >= room) return finish("contextLengthReached", content, predicted);
    if (!(await pause(1 / generationTps, stop))) return finish("userStopped", content, predicted);
    if (!instances.isLoaded(instance)) return finish("modelUnloaded", content, predicted);
    content += token;
    predicted++;
    request.onFragment(token);
  }
  return finish(stoppedByString ? "stopStringFound" : "eosFound", content, predicted);
}

/** Waits simulated seconds; false when stopped (cancel or socket close) meanwhile. */
async function pauseFor(modelSeconds: number, timeScale: number, stop: AbortSignal): Promise<boolean> {
  try {
    await sleep(scaledDelayMs(modelSeconds, timeScale), stop);
    return true;
  } catch {
    return false;
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `llm.prediction.maxPredictedTokens` is a checkbox value `{checked, value}`. */
function maxPredictedTokens(config: ReadonlyMap<string, unknown>): number | null {
  const field = config.get("llm.prediction.maxPredictedTokens");
  if (typeof field !== "object" || field === null) return null;
  const { checked, value } = field as { checked?: unknown; value?: unknown };
  if (checked !== true || typeof value !== "number" || value < 1) return null;
  return Math.floor(value);
}

function applyStopStrings(reply: string, stopStrings: unknown): { text: string; stoppedByString: boolean } {
  if (!Array.isArray(stopStrings)) return { text: reply, stoppedByString: false };
  let cut = reply.length;
  for (const stop of stopStrings) {
    if (typeof stop !== "string" || stop === "") continue;
    const at = reply.indexOf(stop);
    if (at !== -1) cut = Math.min(cut, at);
  }
  return { text: reply.slice(0, cut), stoppedByString: cut < reply.length };
}
