import {
  type CallOptions,
  type DownloadedModel,
  isRuntimeError,
  type LoadedModel,
  type LoadOptions,
  linkedController,
  type MemoryEstimate,
  type ModelHandle,
  type ModelRuntime,
  type RespondRequest,
  type Response,
  RuntimeError,
  type RuntimeErrorCategory,
  type RuntimeVersion,
} from "@lmstrix/core";
import type { LLMDynamicHandle, LLMPredictionFragment, LMStudioClient } from "@lmstudio/sdk";
import { AbandonedLoads } from "./abandoned-loads";
import { classifyError } from "./classify-error";
import { type ClientLease, Connection } from "./connection";
import { newInstanceIdentifier } from "./instance-identifier";
import { mapDownloadedModel } from "./map-model";
import { mapResponseStats, PredictionTimer } from "./map-response";
import type { LmStudioTimeouts } from "./options";
import { ProtocolWarnings } from "./protocol-warnings";
import type { QuietLogger } from "./quiet-logger";
import { withDeadline } from "./with-timeout";

/** A load that ended like this may or may not have left an instance on the host. */
const UNCERTAIN_LOAD_OUTCOMES: ReadonlySet<RuntimeErrorCategory> = new Set([
  "TIMEOUT",
  "CANCELLED",
  "DISCONNECTED",
  "UNKNOWN",
]);

/** After these the client's socket is dead or stuck; the next call should start on a fresh client. */
const DEAD_CONNECTION: ReadonlySet<RuntimeErrorCategory> = new Set(["DISCONNECTED", "UNREACHABLE"]);

interface CallSpec {
  /** What is being done, for messages: "Loading qwen3-8b at 4096". */
  what: string;
  /** The runtime's default for this kind of call; `options.timeoutMs` overrides it. */
  timeoutMs: number;
  options: CallOptions | undefined;
  /**
   * A quick RPC that times out means a dropped reply or a stuck socket, not a slow host: retire the
   * client. Loads and predictions may legitimately be slow, and are cancelled instead.
   */
  isQuick: boolean;
  /** For calls on a loaded instance: "not found" means the instance is gone, which is a crash for us. */
  isOnInstance?: boolean;
}

/** `ModelRuntime` over `@lmstudio/sdk` 1.5. Build it with `createLmStudioRuntime`. */
export class LmStudioRuntime implements ModelRuntime {
  private readonly connection: Connection;
  private readonly abandoned = new AbandonedLoads();
  /** Aborts every call in flight when the runtime is closed. */
  private readonly inFlight = new Set<AbortController>();
  private readonly protocolWarnings: ProtocolWarnings;
  private isClosed = false;

  constructor(
    readonly url: string,
    private readonly timeouts: LmStudioTimeouts,
    private readonly logger: QuietLogger,
  ) {
    this.protocolWarnings = new ProtocolWarnings(logger);
    this.connection = new Connection({
      url,
      logger,
      connectMs: timeouts.connectMs,
      protocolWarnings: this.protocolWarnings,
    });
  }

  /** The newest warnings and errors the SDK logged (when no `logger` option was given). */
  recentSdkWarnings(): string[] {
    return this.logger.recent();
  }

  async listModels(options?: CallOptions): Promise<DownloadedModel[]> {
    const spec = {
      what: "Listing downloaded models",
      timeoutMs: this.timeouts.listMs,
      options,
      isQuick: true,
    };
    const models = await this.call(spec, (client) => client.system.listDownloadedModels());
    return models.map(mapDownloadedModel);
  }

  async listLoaded(options?: CallOptions): Promise<LoadedModel[]> {
    const spec = { what: "Listing loaded models", timeoutMs: this.timeouts.listMs, options, isQuick: true };
    const loaded = await this.call(spec, async (client) => {
      const instances = await client.llm.listLoaded();
      return Promise.all(
        instances.map(async (instance): Promise<LoadedModel | null> => {
          if (
            this.abandoned.has(instance.identifier) &&
            (await this.unloadAbandoned(client, instance.identifier))
          ) {
            return null;
          }
          try {
            const contextLength = await instance.getContextLength();
            return { modelKey: instance.modelKey, identifier: instance.identifier, contextLength };
          } catch (error) {
            // Unloaded between the list and this question: it is not loaded any more, which is the answer.
            if (isInstanceGone(classifyError(error))) return null;
            throw error;
          }
        }),
      );
    });
    return loaded.filter((model) => model !== null);
  }

  async load(modelKey: string, options: LoadOptions): Promise<ModelHandle> {
    const { contextLength, onProgress } = options;
    const identifier = newInstanceIdentifier(modelKey);
    const spec = {
      what: `Loading ${modelKey} at context ${contextLength}`,
      timeoutMs: this.timeouts.loadMs,
      options,
      isQuick: false,
    };
    let isLoaded = false;
    let isActive = true;
    try {
      return await this.call(spec, async (client, signal) => {
        const startedAt = performance.now();
        const llm = await client.llm.load(modelKey, {
          identifier,
          config: { contextLength },
          signal,
          verbose: false,
          onProgress: (progress: number) => {
            if (isActive) onProgress?.(progress);
          },
        });
        const loadMs = performance.now() - startedAt;
        isLoaded = true;
        // LM Studio may apply another size than asked (auto-fit, silent reduction): read it back.
        const applied = await llm.getContextLength();
        return { modelKey, identifier: llm.identifier, contextLength: applied, loadMs };
      });
    } catch (error) {
      const classified = classifyError(error);
      if (isLoaded || UNCERTAIN_LOAD_OUTCOMES.has(classified.category)) await this.cleanUpLoad(identifier);
      throw classified;
    } finally {
      isActive = false;
    }
  }

  async unload(target: ModelHandle | string, options?: CallOptions): Promise<void> {
    const identifier = typeof target === "string" ? target : target.identifier;
    const spec = {
      what: `Unloading ${identifier}`,
      timeoutMs: this.timeouts.unloadMs,
      options,
      isQuick: true,
    };
    try {
      await this.call(spec, (client) => client.llm.unload(identifier));
    } catch (error) {
      // Already gone (unloaded by someone else, crashed, or a second unload) is what we wanted.
      if (isRuntimeError(error) && isInstanceGone(error)) return;
      throw error;
    }
  }

  async respond(handle: ModelHandle, request: RespondRequest): Promise<Response> {
    const spec = {
      what: `Predicting with ${handle.identifier}`,
      timeoutMs: this.timeouts.predictMs,
      options: request,
      isQuick: false,
      isOnInstance: true,
    };
    let isActive = true;
    try {
      return await this.call(spec, async (client, signal) => {
        const timer = new PredictionTimer();
        const result = await this.instance(client, handle).respond(
          request.messages.map(({ role, content }) => ({ role, content })),
          {
            ...(request.maxTokens !== undefined && { maxTokens: request.maxTokens }),
            ...(request.temperature !== undefined && { temperature: request.temperature }),
            signal,
            onFirstToken: () => {
              timer.firstToken();
            },
            onPredictionFragment: (fragment: LLMPredictionFragment) => {
              timer.fragment(fragment.tokensCount);
              if (isActive && isAnswerFragment(fragment)) request.onFragment?.(fragment.content);
            },
          },
        );
        if (result.stats.stopReason === "modelUnloaded") {
          throw new RuntimeError(
            "MODEL_CRASHED",
            "Model is unloaded. The host stopped the prediction because the instance went away (modelUnloaded).",
          );
        }
        // Reasoning and structural fragments (think tags) are not the answer.
        return { text: result.nonReasoningContent, stats: mapResponseStats(result.stats, timer.measured()) };
      });
    } finally {
      isActive = false;
    }
  }

  async countTokens(handle: ModelHandle, text: string, options?: CallOptions): Promise<number> {
    const spec = {
      what: `Counting tokens with ${handle.identifier}`,
      timeoutMs: this.timeouts.tokenizeMs,
      options,
      isQuick: true,
      isOnInstance: true,
    };
    return this.call(spec, (client) => this.instance(client, handle).countTokens(text));
  }

  /** LM Studio's memory estimate needs SDK 2.0 (`estimateResourcesUsage`), which does not install here. */
  async estimate(
    _modelKey: string,
    _contextLength: number,
    options?: CallOptions,
  ): Promise<MemoryEstimate | null> {
    if (this.isClosed) throw closedError();
    if (options?.signal?.aborted) throw new RuntimeError("CANCELLED", "Estimating memory was cancelled");
    return null;
  }

  async version(options?: CallOptions): Promise<RuntimeVersion> {
    const spec = {
      what: "Asking LM Studio's version",
      timeoutMs: this.timeouts.listMs,
      options,
      isQuick: true,
    };
    const { version, build } = await this.call(spec, (client) => client.system.getLMStudioVersion());
    return { version, build: Number.isFinite(build) ? build : null };
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const controller of this.inFlight) controller.abort(closedError());
    await this.connection.close();
  }

  /**
   * Runs one SDK call: borrows a live client, applies the deadline and the caller's signal, classifies
   * whatever is thrown, and retires the client when its connection turned out dead.
   */
  private async call<T>(
    spec: CallSpec,
    operation: (client: LMStudioClient, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const { what, timeoutMs, options } = spec;
    if (this.isClosed) throw closedError();
    const { controller, unlink } = linkedController(options?.signal);
    const warningsMark = this.protocolWarnings.mark();
    this.inFlight.add(controller);
    let lease: ClientLease | undefined;
    try {
      lease = await this.connection.acquire(controller.signal);
      const { client } = lease;
      return await withDeadline((signal) => operation(client, signal), {
        what,
        timeoutMs: options?.timeoutMs ?? timeoutMs,
        signal: controller.signal,
        explainTimeout: () => this.protocolWarnings.explainSince(warningsMark),
      });
    } catch (error) {
      let classified = classifyError(error);
      if (lease !== undefined) {
        const isStuck = spec.isQuick && classified.category === "TIMEOUT";
        if (DEAD_CONNECTION.has(classified.category) || isStuck) this.connection.retire(lease.client);
      }
      if (spec.isOnInstance && classified.category === "NOT_FOUND") {
        classified = new RuntimeError("MODEL_CRASHED", classified.message, { cause: error });
      }
      throw classified;
    } finally {
      lease?.release();
      unlink();
      this.inFlight.delete(controller);
    }
  }

  /**
   * The loaded instance behind a handle, addressed by its identifier (unique per load, see
   * `newInstanceIdentifier`), so the handle stays usable after the client was replaced.
   */
  private instance(client: LMStudioClient, handle: ModelHandle): LLMDynamicHandle {
    return client.llm.createDynamicHandle(handle.identifier);
  }

  /**
   * A load we gave up on finished after all: finish the clean-up we promised. False when the instance is
   * still there (the unload failed), so that `listLoaded` keeps reporting it.
   */
  private async unloadAbandoned(client: LMStudioClient, identifier: string): Promise<boolean> {
    try {
      await client.llm.unload(identifier);
    } catch (error) {
      if (!isInstanceGone(classifyError(error))) return false;
    }
    this.abandoned.delete(identifier);
    return true;
  }

  /**
   * After a load that may have left an instance behind (cancelled, timed out, connection lost, or failed
   * after the host reported success): unload it if it is there now, and remember it in case it appears
   * later. Runs with its own time limit; the caller's signal has usually fired already.
   */
  private async cleanUpLoad(identifier: string): Promise<void> {
    this.abandoned.add(identifier);
    if (this.isClosed) return;
    try {
      await this.listLoaded({ timeoutMs: this.timeouts.unloadMs });
    } catch {
      // Host unreachable right now: the identifier stays remembered for the next listLoaded.
    }
  }
}

function isInstanceGone(error: RuntimeError): boolean {
  return error.category === "NOT_FOUND" || error.category === "MODEL_CRASHED";
}

function isAnswerFragment(fragment: LLMPredictionFragment): boolean {
  return !fragment.isStructural && fragment.reasoningType === "none";
}

function closedError(): RuntimeError {
  return new RuntimeError("CANCELLED", "The LM Studio runtime has been closed");
}
