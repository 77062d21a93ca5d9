import type { DownloadedModel, LoadedModel } from "../domain/model";
import { type EngineTimers, SYSTEM_TIMERS } from "../engine/timers";
import { RuntimeError } from "../errors/runtime-error";
import type {
  CallOptions,
  LoadOptions,
  MemoryEstimate,
  ModelHandle,
  ModelRuntime,
  RespondRequest,
  Response,
  RuntimeVersion,
} from "../ports/model-runtime";
import { answerPrompt, countWords } from "./simulated-replies";

/** A model of the simulated host: what the host lists, plus the hidden facts a tester has to discover. */
export interface SimulatedModel extends DownloadedModel {
  /** Bytes of KV cache per token of context; with `sizeBytes` it decides the largest loadable context. */
  kvBytesPerToken: number;
  /** Prompts longer than this (in tokens) get wrong answers. Default: the declared context. */
  effectiveContext?: number;
  /** Loads above this size fail with LOAD_FAILED. */
  loadFailsAbove?: number;
  /** Predictions at or above this loaded size crash the model. */
  crashAbove?: number;
  /** The first prediction after each load fails with MEMORY_CACHE_CORRUPTED. */
  memoryCacheNull?: boolean;
  /** The host silently loads at most this size. */
  silentReduce?: number;
  /** Loads above this size report 90 % and then never finish (until cancelled, or the load timeout). */
  hangAbove?: number;
  /** Loads take time: `steps` progress reports, one every `everyMs` of the runtime's timers. */
  slowLoad?: { steps: number; everyMs: number };
}

export interface SimulatedRuntimeOptions {
  models: SimulatedModel[];
  memoryBytes: number;
  /** Fixed cost of any load on top of weights and KV cache. */
  overheadBytes?: number;
  /** The clock of `hangAbove` and `slowLoad` (`ManualTimers` in tests); the system's by default. */
  timers?: EngineTimers;
  /** Like the adapter's load timeout: a load not finished by then fails with TIMEOUT. */
  loadTimeoutMs?: number;
}

export const SIMULATED_OVERHEAD_BYTES = 256 * 1024 * 1024;

interface Instance {
  handle: ModelHandle;
  model: SimulatedModel;
  bytes: number;
  hasPredicted: boolean;
}

/**
 * An in-memory `ModelRuntime` for unit tests of the engine: deterministic, instant, with the same memory
 * arithmetic as the emulator (weights + context × KV bytes + overhead must fit in memory).
 */
export class SimulatedRuntime implements ModelRuntime {
  private readonly instances = new Map<string, Instance>();
  private readonly overheadBytes: number;
  /** Every load attempted, in order; tests count loads with it. */
  readonly loadLog: { modelKey: string; contextLength: number }[] = [];

  constructor(private readonly options: SimulatedRuntimeOptions) {
    this.overheadBytes = options.overheadBytes ?? SIMULATED_OVERHEAD_BYTES;
  }

  /** The largest context that loads when nothing else is loaded: the truth a tester should find. */
  hiddenLoadableLimit(modelKey: string): number {
    const model = this.find(modelKey);
    const free = this.options.memoryBytes - model.sizeBytes - this.overheadBytes;
    const byMemory = Math.max(0, Math.floor(free / model.kvBytesPerToken));
    return Math.min(byMemory, model.loadFailsAbove ?? Number.POSITIVE_INFINITY);
  }

  async listModels(options?: CallOptions): Promise<DownloadedModel[]> {
    throwIfAborted(options?.signal);
    return this.options.models.map(({ kvBytesPerToken, effectiveContext, ...listed }) => ({ ...listed }));
  }

  async listLoaded(options?: CallOptions): Promise<LoadedModel[]> {
    throwIfAborted(options?.signal);
    return [...this.instances.values()].map(({ handle }) => ({
      modelKey: handle.modelKey,
      identifier: handle.identifier,
      contextLength: handle.contextLength,
    }));
  }

  async load(modelKey: string, options: LoadOptions): Promise<ModelHandle> {
    throwIfAborted(options.signal);
    const model = this.find(modelKey);
    this.loadLog.push({ modelKey, contextLength: options.contextLength });
    if (this.instances.has(modelKey)) {
      throw new RuntimeError("LOAD_FAILED", `Model ${modelKey} is already loaded`);
    }
    const applied = Math.min(options.contextLength, model.silentReduce ?? Number.POSITIVE_INFINITY);
    if (model.loadFailsAbove !== undefined && applied > model.loadFailsAbove) {
      throw new RuntimeError("LOAD_FAILED", "Failed to load model");
    }
    const bytes = model.sizeBytes + applied * model.kvBytesPerToken + this.overheadBytes;
    if (bytes + this.usedBytes() > this.options.memoryBytes) {
      const gb = (bytes / 1024 ** 3).toFixed(2);
      throw new RuntimeError(
        "INSUFFICIENT_RESOURCES",
        `Model loading was stopped due to insufficient system resources. Under the current settings, this model requires approximately ${gb} GB of memory.`,
      );
    }
    await this.progressUntilLoaded(model, applied, options);
    const handle: ModelHandle = { modelKey, identifier: modelKey, contextLength: applied, loadMs: 0 };
    this.instances.set(modelKey, { handle, model, bytes, hasPredicted: false });
    return handle;
  }

  async unload(target: ModelHandle | string, options?: CallOptions): Promise<void> {
    throwIfAborted(options?.signal);
    this.instances.delete(typeof target === "string" ? target : target.identifier);
  }

  async respond(handle: ModelHandle, request: RespondRequest): Promise<Response> {
    throwIfAborted(request.signal);
    const instance = this.loadedInstance(handle);
    const { model } = instance;
    const isFirstPrediction = !instance.hasPredicted;
    instance.hasPredicted = true;
    if (model.memoryCacheNull && isFirstPrediction) {
      throw new RuntimeError("MEMORY_CACHE_CORRUPTED", "Unable to reuse from cache: llama_memory is null");
    }
    if (model.crashAbove !== undefined && handle.contextLength >= model.crashAbove) {
      this.instances.delete(handle.identifier);
      throw new RuntimeError(
        "MODEL_CRASHED",
        "The model has crashed without additional information. (Exit code: 6)",
      );
    }
    const prompt = request.messages.map((message) => message.content).join("\n");
    const promptTokens = countWords(prompt);
    if (promptTokens >= handle.contextLength) {
      throw new RuntimeError(
        "CONTEXT_OVERFLOW",
        `The number of tokens to keep from the initial prompt is greater than the context length (n_keep: ${promptTokens} >= n_ctx: ${handle.contextLength})`,
      );
    }
    // Like the emulator: attention fails over long inputs, not over a large empty window.
    const isDegraded = promptTokens > (model.effectiveContext ?? model.declaredContext);
    const text = answerPrompt(prompt, isDegraded);
    request.onFragment?.(text);
    return {
      text,
      stats: {
        stopReason: "eosFound",
        promptTokens,
        predictedTokens: countWords(text),
        timeToFirstTokenMs: 1,
        tokensPerSecond: 50,
        promptTokensPerSecond: 500,
      },
    };
  }

  async countTokens(handle: ModelHandle, text: string, options?: CallOptions): Promise<number> {
    throwIfAborted(options?.signal);
    this.loadedInstance(handle);
    return countWords(text);
  }

  async estimate(modelKey: string, contextLength: number): Promise<MemoryEstimate> {
    const model = this.find(modelKey);
    const totalBytes = model.sizeBytes + contextLength * model.kvBytesPerToken + this.overheadBytes;
    return { totalBytes, fits: totalBytes <= this.options.memoryBytes };
  }

  async version(): Promise<RuntimeVersion> {
    return { version: "simulated", build: null };
  }

  async close(): Promise<void> {
    this.instances.clear();
  }

  /** Reports the load's progress; resolves when it is loaded (at once, unless the model is slow or hangs). */
  private progressUntilLoaded(model: SimulatedModel, applied: number, options: LoadOptions): Promise<void> {
    const hangs = model.hangAbove !== undefined && applied > model.hangAbove;
    const { slowLoad } = model;
    if (!hangs && !slowLoad) {
      options.onProgress?.(0.5);
      options.onProgress?.(1);
      return Promise.resolve();
    }
    const timers = this.options.timers ?? SYSTEM_TIMERS;
    return new Promise((resolve, reject) => {
      const cancels: (() => void)[] = [];
      const end = (error?: RuntimeError) => {
        for (const cancel of cancels) cancel();
        options.signal?.removeEventListener("abort", onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => end(new RuntimeError("CANCELLED", "Model loading was cancelled"));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const { loadTimeoutMs } = this.options;
      if (loadTimeoutMs !== undefined) {
        const timeout = `Loading ${model.modelKey} did not finish within ${loadTimeoutMs} ms`;
        cancels.push(timers.after(loadTimeoutMs, () => end(new RuntimeError("TIMEOUT", timeout))));
      }
      if (hangs || !slowLoad) {
        options.onProgress?.(0.9);
        return;
      }
      let reported = 0;
      const step = () => {
        reported += 1;
        options.onProgress?.(reported / slowLoad.steps);
        if (reported >= slowLoad.steps) end();
        else cancels.push(timers.after(slowLoad.everyMs, step));
      };
      cancels.push(timers.after(slowLoad.everyMs, step));
    });
  }

  private usedBytes(): number {
    let total = 0;
    for (const instance of this.instances.values()) total += instance.bytes;
    return total;
  }

  private find(modelKey: string): SimulatedModel {
    const model = this.options.models.find((candidate) => candidate.modelKey === modelKey);
    if (!model) throw new RuntimeError("NOT_FOUND", `No model found that fits the query: ${modelKey}`);
    return model;
  }

  private loadedInstance(handle: ModelHandle): Instance {
    const instance = this.instances.get(handle.identifier);
    if (!instance) throw new RuntimeError("MODEL_CRASHED", "Model is unloaded.");
    return instance;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RuntimeError("CANCELLED", "The operation was cancelled");
}
