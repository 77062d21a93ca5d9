import {
  appliedContextLength,
  loadFails,
  loadHangs,
  type ModelFaults,
  predictionCrashes,
  processedPrompt,
  resolveFaults,
} from "./faults.js";
import type { Fleet, FleetModel } from "./fleet/schema.js";
import type { Logger } from "./logger.js";
import { fitsInMemory, requiredBytes } from "./memory.js";
import { type InstanceInfoWire, instanceInfo, type ModelInfoWire, modelInfo } from "./model-info.js";
import { createRandom, type Random } from "./prng.js";
import type { BuiltPrompt } from "./prompt.js";
import {
  contextOverflow,
  domainMismatch,
  identifierInUse,
  insufficientResources,
  invalidLoadConfig,
  loadCancelled,
  loadFailed,
  type ModelDomain,
  memoryCacheNull,
  modelCrashed,
  modelPathNotFound,
  modelUnloaded,
  noModelFound,
} from "./protocol/errors.js";
import type { ModelSpecifier } from "./protocol/schemas.js";
import { generateReply } from "./replies.js";
import { scaledDelayMs, sleep, waitForAbort } from "./timing.js";
import { countTokens, splitTokens } from "./tokenizer.js";

/** Context length used when a load request does not set one (LM Studio's default, capped). */
export const DEFAULT_LOAD_CONTEXT_LENGTH = 4096;

/** Progress packets per load (0.1 … 1.0). */
const LOAD_PROGRESS_STEPS = 10;
/** A failing load (`loadFailsAbove`) dies after this many progress steps. */
const LOAD_FAIL_AT_STEP = 6;
/** Prompt processing reports progress about every this many tokens (at most 20 packets). */
const PROMPT_PROGRESS_CHUNK = 512;

export interface LoadedInstance {
  readonly identifier: string;
  readonly instanceReference: string;
  readonly model: FleetModel;
  readonly faults: ModelFaults;
  /** What the client asked for. */
  readonly requestedContextLength: number;
  /** What was really loaded (differs under `silentReduce`). */
  readonly contextLength: number;
  /** Memory this instance holds until it is unloaded. */
  readonly memoryBytes: number;
  /** The load config as `getLoadConfig` reports it. */
  readonly loadConfig: ReadonlyMap<string, unknown>;
  readonly ttlMs: number | null;
  lastUsedTime: number | null;
  predictionsSinceLoad: number;
}

/** Read-only view of a loaded instance for tests and logs. */
export interface LoadedInstanceSnapshot {
  identifier: string;
  instanceReference: string;
  modelKey: string;
  type: ModelDomain;
  requestedContextLength: number;
  contextLength: number;
  memoryBytes: number;
}

export interface EmulatorCounters {
  /** Load attempts that got past model resolution (guardrail refusals included). */
  loadsStarted: number;
  loadsSucceeded: number;
  loadsFailed: number;
  loadsCancelled: number;
  /** Loads in progress right now. */
  concurrentLoads: number;
  /** Highest `concurrentLoads` since the last reset. */
  maxConcurrentLoads: number;
  /** Predictions started (predict + completeRawText channels that found their model). */
  predictions: number;
  predictionsSucceeded: number;
  predictionsFailed: number;
  /** Predictions stopped by the client (stopReason "userStopped"). */
  predictionsCancelled: number;
  concurrentPredictions: number;
  maxConcurrentPredictions: number;
  unloads: number;
  /** Instances lost to the `crashAbove` fault. */
  crashes: number;
  /** Times the `disconnectAfterLoads` fault dropped a client. */
  disconnects: number;
}

function zeroCounters(): EmulatorCounters {
  return {
    loadsStarted: 0,
    loadsSucceeded: 0,
    loadsFailed: 0,
    loadsCancelled: 0,
    concurrentLoads: 0,
    maxConcurrentLoads: 0,
    predictions: 0,
    predictionsSucceeded: 0,
    predictionsFailed: 0,
    predictionsCancelled: 0,
    concurrentPredictions: 0,
    maxConcurrentPredictions: 0,
    unloads: 0,
    crashes: 0,
    disconnects: 0,
  };
}

export interface LoadRequest {
  modelKey: string;
  identifier?: string | undefined;
  ttlMs?: number | undefined;
  loadConfig: ReadonlyMap<string, unknown>;
  domain: ModelDomain;
  /** Aborted by a client `cancel` or by the socket closing. */
  signal: AbortSignal;
  onResolved(info: ModelInfoWire): void;
  onProgress(progress: number): void;
}

export interface LoadOutcome {
  instance: LoadedInstance;
  /** The `disconnectAfterLoads` fault fired: drop the client once the reply is out. */
  dropClient: boolean;
}

export interface PredictionRequest {
  instance: LoadedInstance;
  prompt: BuiltPrompt;
  predictionConfig: ReadonlyMap<string, unknown>;
  /** Client `cancel`: the prediction stops and reports stopReason "userStopped". */
  cancel: AbortSignal;
  /** Socket gone: stop silently. */
  socketClosed: AbortSignal;
  onPromptProgress(progress: number): void;
  onFragment(content: string): void;
}

export type StopReason =
  | "userStopped"
  | "modelUnloaded"
  | "eosFound"
  | "stopStringFound"
  | "maxPredictedTokensReached"
  | "contextLengthReached";

export interface PredictionStats {
  stopReason: StopReason;
  tokensPerSecond: number;
  timeToFirstTokenSec?: number;
  totalTimeSec: number;
  promptTokensCount: number;
  predictedTokensCount: number;
  totalTokensCount: number;
}

export interface PredictionOutcome {
  content: string;
  stats: PredictionStats;
}

export interface ModelHostOptions {
  fleet: Fleet;
  timeScale: number;
  seed: number;
  logger: Logger;
}

/**
 * The simulated LM Studio backend: downloaded models, loaded instances, the memory guardrail,
 * faults, timing and the counters tests observe. Knows nothing about sockets.
 */
export class ModelHost {
  readonly fleet: Fleet;
  readonly timeScale: number;
  readonly seed: number;
  private readonly logger: Logger;
  private readonly random: Random;
  private readonly instances = new Map<string, LoadedInstance>();
  /** Memory promised to loads still in progress, so concurrent loads cannot overcommit. */
  private readonly reservations = new Set<{ bytes: number }>();
  private readonly successfulLoadsByModel = new Map<string, number>();
  private readonly droppedAfterLoads = new Set<string>();
  /** Idle timers of instances loaded with a TTL (wall-clock, not scaled). */
  private readonly ttlTimers = new Map<string, NodeJS.Timeout>();
  private counterValues = zeroCounters();

  constructor(options: ModelHostOptions) {
    this.fleet = options.fleet;
    this.timeScale = options.timeScale;
    this.seed = options.seed;
    this.logger = options.logger;
    this.random = createRandom(options.seed);
  }

  get counters(): Readonly<EmulatorCounters> {
    return { ...this.counterValues };
  }

  /** Zeroes the counters; `concurrent*` keep their live value and the maxima restart from it. */
  resetCounters(): void {
    const { concurrentLoads, concurrentPredictions } = this.counterValues;
    this.counterValues = {
      ...zeroCounters(),
      concurrentLoads,
      maxConcurrentLoads: concurrentLoads,
      concurrentPredictions,
      maxConcurrentPredictions: concurrentPredictions,
    };
  }

  /** Bytes held by loaded instances (in-progress loads excluded). */
  get loadedBytes(): number {
    let total = 0;
    for (const instance of this.instances.values()) total += instance.memoryBytes;
    return total;
  }

  private get committedBytes(): number {
    let total = this.loadedBytes;
    for (const reservation of this.reservations) total += reservation.bytes;
    return total;
  }

  get loaded(): LoadedInstanceSnapshot[] {
    return [...this.instances.values()].map((instance) => ({
      identifier: instance.identifier,
      instanceReference: instance.instanceReference,
      modelKey: instance.model.modelKey,
      type: instance.model.type,
      requestedContextLength: instance.requestedContextLength,
      contextLength: instance.contextLength,
      memoryBytes: instance.memoryBytes,
    }));
  }

  listDownloaded(): ModelInfoWire[] {
    return this.fleet.models.map(modelInfo);
  }

  info(instance: LoadedInstance): InstanceInfoWire {
    return instanceInfo(instance.model, instance);
  }

  instancesOf(domain: ModelDomain): LoadedInstance[] {
    return [...this.instances.values()].filter((instance) => instance.model.type === domain);
  }

  isLoaded(instance: LoadedInstance): boolean {
    return this.instances.get(instance.instanceReference) === instance;
  }

  // --- lookup -------------------------------------------------------------------------------

  /** The model a `loadModel`/`getOrLoad` key names: exact key, then path, then case-insensitive key. */
  findModel(key: string): FleetModel | undefined {
    const models = this.fleet.models;
    const lower = key.toLowerCase();
    return (
      models.find((model) => model.modelKey === key) ??
      models.find((model) => model.path === key) ??
      models.find((model) => model.modelKey.toLowerCase() === lower)
    );
  }

  /** Resolves a specifier to a loaded instance of `domain`, or throws LM Studio's error. */
  resolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance {
    const found = this.tryResolve(specifier, domain);
    if (found !== undefined) return found;
    if (specifier.type === "instanceReference") throw modelUnloaded();
    throw noModelFound(
      specifier.query,
      this.instancesOf(domain).map((instance) => instance.identifier),
    );
  }

  tryResolve(specifier: ModelSpecifier, domain: ModelDomain): LoadedInstance | undefined {
    if (specifier.type === "instanceReference") {
      const instance = this.instances.get(specifier.instanceReference);
      return instance?.model.type === domain ? instance : undefined;
    }
    const { query } = specifier;
    if (query.domain !== undefined && query.domain !== domain) return undefined;
    return this.instancesOf(domain).find(
      (instance) =>
        (query.identifier === undefined || instance.identifier === query.identifier) &&
        (query.path === undefined ||
          instance.model.path === query.path ||
          instance.model.modelKey === query.path) &&
        (query.vision === undefined || instance.model.vision === query.vision),
    );
  }

  // --- load / unload --------------------------------------------------------------------------

  private resolveForLoad(modelKey: string, domain: ModelDomain): FleetModel {
    const model = this.findModel(modelKey);
    if (model === undefined) {
      throw modelPathNotFound(
        modelKey,
        this.fleet.models.filter((m) => m.type === domain).map((m) => m.modelKey),
      );
    }
    if (model.type !== domain) throw domainMismatch(model.path, model.type, domain);
    return model;
  }

  private requestedContextLength(model: FleetModel, config: ReadonlyMap<string, unknown>): number {
    const key = `${model.type}.load.contextLength`;
    const value = config.get(key);
    if (value === undefined) return Math.min(model.maxContextLength, DEFAULT_LOAD_CONTEXT_LENGTH);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw invalidLoadConfig(key, value, "a positive integer");
    }
    return value;
  }

  /** LM Studio names a second instance of a key `key:2`, then `key:3`, … */
  private nextIdentifier(modelKey: string): string {
    const taken = new Set([...this.instances.values()].map((instance) => instance.identifier));
    if (!taken.has(modelKey)) return modelKey;
    for (let n = 2; ; n++) {
      if (!taken.has(`${modelKey}:${n}`)) return `${modelKey}:${n}`;
    }
  }

  private newInstanceReference(): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let reference = "";
    for (let i = 0; i < 24; i++) reference += alphabet[Math.floor(this.random() * alphabet.length)];
    return this.instances.has(reference) ? this.newInstanceReference() : reference;
  }

  async load(request: LoadRequest): Promise<LoadOutcome> {
    const model = this.resolveForLoad(request.modelKey, request.domain);
    const requested = this.requestedContextLength(model, request.loadConfig);
    const identifier = request.identifier ?? this.nextIdentifier(model.modelKey);
    if ([...this.instances.values()].some((instance) => instance.identifier === identifier)) {
      throw identifierInUse(identifier);
    }
    request.onResolved(modelInfo(model));

    const counters = this.counterValues;
    counters.loadsStarted++;
    counters.concurrentLoads++;
    counters.maxConcurrentLoads = Math.max(counters.maxConcurrentLoads, counters.concurrentLoads);
    const faults = resolveFaults(model);
    const applied = appliedContextLength(faults, requested);
    const bytes = requiredBytes(model, applied);
    const reservation = { bytes: 0 };
    this.logger.info(`load ${identifier} (${model.modelKey}) at context ${requested} → ${applied}`);
    try {
      if (!fitsInMemory(model, applied, this.fleet.memoryBytes, this.committedBytes)) {
        throw insufficientResources(bytes);
      }
      reservation.bytes = bytes;
      this.reservations.add(reservation);

      const stepSeconds = (model.loadSecondsPerGiB * (model.sizeBytes / 1024 ** 3)) / LOAD_PROGRESS_STEPS;
      const hangs = loadHangs(faults, applied);
      const fails = loadFails(faults, applied);
      for (let step = 1; step <= LOAD_PROGRESS_STEPS; step++) {
        await sleep(scaledDelayMs(stepSeconds, this.timeScale), request.signal);
        if (fails && step === LOAD_FAIL_AT_STEP) throw loadFailed(applied);
        if (hangs && step === LOAD_PROGRESS_STEPS) {
          // Real loads sometimes stall here forever; only a cancel or a closed socket ends it.
          request.onProgress(0.999);
          await waitForAbort(request.signal);
        }
        request.onProgress(step / LOAD_PROGRESS_STEPS);
      }

      const loadConfig = new Map<string, unknown>([
        [`${model.type}.load.contextLength`, applied],
        [`${model.type}.load.llama.acceleration.offloadRatio`, "max"],
        ...(model.type === "llm" ? ([["llm.load.llama.flashAttention", false]] as const) : []),
      ]);
      for (const [key, value] of request.loadConfig) {
        if (key !== `${model.type}.load.contextLength`) loadConfig.set(key, value);
      }
      const instance: LoadedInstance = {
        identifier,
        instanceReference: this.newInstanceReference(),
        model,
        faults,
        requestedContextLength: requested,
        contextLength: applied,
        memoryBytes: bytes,
        loadConfig,
        ttlMs: request.ttlMs ?? null,
        lastUsedTime: null,
        predictionsSinceLoad: 0,
      };
      this.instances.set(instance.instanceReference, instance);
      this.armTtl(instance);
      counters.loadsSucceeded++;
      const loads = (this.successfulLoadsByModel.get(model.modelKey) ?? 0) + 1;
      this.successfulLoadsByModel.set(model.modelKey, loads);
      const dropClient =
        faults.disconnectAfterLoads !== null &&
        loads >= faults.disconnectAfterLoads &&
        !this.droppedAfterLoads.has(model.modelKey);
      if (dropClient) {
        this.droppedAfterLoads.add(model.modelKey);
        counters.disconnects++;
      }
      return { instance, dropClient };
    } catch (error) {
      if (request.signal.aborted) {
        counters.loadsCancelled++;
        this.logger.info(`load ${identifier} cancelled`);
        throw loadCancelled();
      }
      counters.loadsFailed++;
      throw error;
    } finally {
      this.reservations.delete(reservation);
      counters.concurrentLoads--;
    }
  }

  /** Unloads by identifier; the `notFoundOnUnload` fault unloads but still reports not-found. */
  unload(identifier: string, domain: ModelDomain): void {
    const instance = this.instancesOf(domain).find((candidate) => candidate.identifier === identifier);
    const notFound = () =>
      noModelFound(
        { identifier },
        this.instancesOf(domain).map((candidate) => candidate.identifier),
      );
    if (instance === undefined) throw notFound();
    this.remove(instance);
    this.counterValues.unloads++;
    this.logger.info(`unload ${identifier}`);
    if (instance.faults.notFoundOnUnload) throw notFound();
  }

  private remove(instance: LoadedInstance): void {
    this.instances.delete(instance.instanceReference);
    clearTimeout(this.ttlTimers.get(instance.instanceReference));
    this.ttlTimers.delete(instance.instanceReference);
  }

  /** LM Studio unloads an instance loaded with `ttlMs` after that long without use. */
  private armTtl(instance: LoadedInstance): void {
    if (instance.ttlMs === null) return;
    clearTimeout(this.ttlTimers.get(instance.instanceReference));
    const timer = setTimeout(() => {
      if (!this.isLoaded(instance)) return;
      this.remove(instance);
      this.counterValues.unloads++;
      this.logger.info(`unload ${instance.identifier} (idle for its ttl of ${instance.ttlMs} ms)`);
    }, instance.ttlMs);
    timer.unref();
    this.ttlTimers.set(instance.instanceReference, timer);
  }

  /** Stops TTL timers (the emulator is closing). */
  dispose(): void {
    for (const timer of this.ttlTimers.values()) clearTimeout(timer);
    this.ttlTimers.clear();
  }

  unloadAll(): void {
    for (const instance of [...this.instances.values()]) this.remove(instance);
  }

  // --- prediction -----------------------------------------------------------------------------

  async predict(request: PredictionRequest): Promise<PredictionOutcome> {
    const counters = this.counterValues;
    counters.predictions++;
    counters.concurrentPredictions++;
    counters.maxConcurrentPredictions = Math.max(
      counters.maxConcurrentPredictions,
      counters.concurrentPredictions,
    );
    try {
      const outcome = await this.runPrediction(request);
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

  private async runPrediction(request: PredictionRequest): Promise<PredictionOutcome> {
    const { instance, predictionConfig } = request;
    const { model, faults } = instance;
    if (!this.isLoaded(instance)) throw modelUnloaded();
    instance.lastUsedTime = Date.now();
    this.armTtl(instance);

    // `truncatePromptAbove` silently drops the head of a long prompt: everything below sees only the rest.
    const prompt = processedPrompt(faults, request.prompt);
    const promptTokens = countTokens(prompt.text);
    if (promptTokens >= instance.contextLength) throw contextOverflow(promptTokens, instance.contextLength);
    instance.predictionsSinceLoad++;
    if (faults.memoryCacheNull && instance.predictionsSinceLoad === 1) throw memoryCacheNull();
    if (predictionCrashes(faults, instance.contextLength)) {
      this.remove(instance);
      this.counterValues.crashes++;
      this.logger.info(`instance ${instance.identifier} crashed (loaded at ${instance.contextLength})`);
      throw modelCrashed();
    }

    const slow = faults.slowPredictionFactor;
    const promptTps = model.promptTokensPerSecond / slow;
    const generationTps = model.generationTokensPerSecond / slow;
    const promptSeconds = promptTokens / promptTps;

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
      if (!(await this.pause(promptSeconds / progressSteps, stop))) return finish("userStopped", "", 0);
      request.onPromptProgress(step / progressSteps);
    }

    const reply = generateReply({
      question: prompt.question,
      context: prompt.text,
      // Attention fails over long inputs, not over a large empty window: short prompts stay correct at any
      // loaded size, a prompt longer than the effective context gets a wrong answer (as filled checks expect).
      degraded: promptTokens > model.effectiveContext,
      seed: this.seed,
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
      if (!(await this.pause(1 / generationTps, stop))) return finish("userStopped", content, predicted);
      if (!this.isLoaded(instance)) return finish("modelUnloaded", content, predicted);
      content += token;
      predicted++;
      request.onFragment(token);
    }
    return finish(stoppedByString ? "stopStringFound" : "eosFound", content, predicted);
  }

  /** Waits simulated seconds; false when stopped (cancel or socket close) meanwhile. */
  private async pause(modelSeconds: number, stop: AbortSignal): Promise<boolean> {
    try {
      await sleep(scaledDelayMs(modelSeconds, this.timeScale), stop);
      return true;
    } catch {
      return false;
    }
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
