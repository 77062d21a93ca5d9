import type { ModelFaults } from "../faults.js";
import type { FleetModel } from "../fleet/schema.js";
import type { ModelInfoWire } from "../model-info.js";
import type { BuiltPrompt } from "../prompt.js";
import type { ModelDomain } from "../protocol/errors.js";

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
  /** Loaded above memory by spilling into system RAM (`spillToRam`): predictions run 10× slower. */
  readonly spillsToSystemMemory: boolean;
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
  spillsToSystemMemory: boolean;
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
