import type { DownloadedModel, LoadedModel } from "../domain/model";

/** Options every runtime call accepts. A call without a signal still ends: each runtime applies its own timeout. */
export interface CallOptions {
  /** Aborting rejects the call with a `RuntimeError` of category `CANCELLED`. */
  signal?: AbortSignal;
  /** Overrides the runtime's default timeout for this call, in milliseconds. */
  timeoutMs?: number;
}

export interface LoadOptions extends CallOptions {
  contextLength: number;
  /** Fraction 0..1 of the load done, as the host reports it. */
  onProgress?: (progress: number) => void;
}

/** A model loaded by this runtime; pass it back to `respond`, `countTokens` and `unload`. */
export interface ModelHandle {
  modelKey: string;
  /** The host's name for this instance (unique among loaded instances). */
  identifier: string;
  /** The context length the host actually applied, read back after the load; may differ from the one asked. */
  contextLength: number;
  /** Wall time of the load as measured by the runtime. */
  loadMs: number;
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface RespondRequest extends CallOptions {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Called with each piece of text as it streams in. */
  onFragment?: (text: string) => void;
}

export type StopReason =
  | "eosFound"
  | "maxPredictedTokensReached"
  | "userStopped"
  | "stopStringFound"
  | string;

export interface ResponseStats {
  stopReason: StopReason;
  promptTokens: number | null;
  predictedTokens: number | null;
  timeToFirstTokenMs: number | null;
  /** Generation speed. */
  tokensPerSecond: number | null;
  /** Prompt-processing speed, when the host or the runtime can tell. */
  promptTokensPerSecond: number | null;
}

export interface Response {
  text: string;
  stats: ResponseStats;
}

export interface MemoryEstimate {
  totalBytes: number;
  /** Whether the host expects the load to pass its resource guardrail. */
  fits: boolean;
}

export interface RuntimeVersion {
  version: string;
  build: number | null;
}

/**
 * One LM Studio host, as the engine sees it. Implementations: the LM Studio adapter (real SDK) and the
 * simulated runtime in `@lmstrix/core/testing`. Every method applies a timeout and honours `signal`;
 * every failure is thrown as a `RuntimeError` with a category.
 */
export interface ModelRuntime {
  /** Every model downloaded on the host, LLMs and embedding models, typed by the host (never by name). */
  listModels(options?: CallOptions): Promise<DownloadedModel[]>;

  /** The models loaded on the host right now, by anyone. */
  listLoaded(options?: CallOptions): Promise<LoadedModel[]>;

  /**
   * Loads `modelKey` with the given context length and reads the applied length back.
   * A cancelled or timed-out load is cleaned up: if the model appeared, it is unloaded again.
   */
  load(modelKey: string, options: LoadOptions): Promise<ModelHandle>;

  /**
   * Unloads a model: a handle returned by `load`, or the identifier of an instance from `listLoaded`.
   * An instance that is already gone is not an error.
   */
  unload(target: ModelHandle | string, options?: CallOptions): Promise<void>;

  /** Answers a chat with the model's chat template applied, as users use the model. */
  respond(handle: ModelHandle, request: RespondRequest): Promise<Response>;

  /** Number of tokens `text` takes in the model's own tokenizer. */
  countTokens(handle: ModelHandle, text: string, options?: CallOptions): Promise<number>;

  /** The host's own memory estimate for a load, or `null` when the host offers none. */
  estimate(modelKey: string, contextLength: number, options?: CallOptions): Promise<MemoryEstimate | null>;

  /** The host software's version; also the cheapest way to see whether the host is reachable. */
  version(options?: CallOptions): Promise<RuntimeVersion>;

  /** Closes connections. The runtime must not be used afterwards. */
  close(): Promise<void>;
}
