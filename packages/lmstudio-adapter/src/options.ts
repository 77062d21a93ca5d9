import type { SdkLogger } from "./quiet-logger";

/** Per-call time limits, in milliseconds. A call's own `timeoutMs` overrides the matching default. */
export interface LmStudioTimeouts {
  /** Opening a fresh connection and hearing back from the host (a `version` round trip). */
  connectMs: number;
  /** `listModels`, `listLoaded` and `version`. */
  listMs: number;
  /** `load`, including reading the applied context length back. Big models on slow disks take minutes. */
  loadMs: number;
  /** `respond`, from sending the chat to the last token. */
  predictMs: number;
  /** `unload`, and the clean-up after a cancelled or timed-out load. */
  unloadMs: number;
  /** `countTokens`. */
  tokenizeMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<LmStudioTimeouts> = Object.freeze({
  connectMs: 10_000,
  listMs: 15_000,
  loadMs: 10 * 60_000,
  predictMs: 5 * 60_000,
  unloadMs: 30_000,
  tokenizeMs: 15_000,
});

export interface LmStudioRuntimeOptions {
  /** WebSocket URL of the host, e.g. `ws://127.0.0.1:1234` (no trailing slash). */
  url: string;
  timeouts?: Partial<LmStudioTimeouts>;
  /**
   * Receives everything the SDK logs. Without it, info/debug are dropped and warnings/errors are kept
   * in a small ring (see `recentSdkWarnings()`), so the SDK never writes to the console on its own.
   */
  logger?: SdkLogger;
}

export function resolveTimeouts(overrides: Partial<LmStudioTimeouts> | undefined): LmStudioTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const [key, value] of Object.entries(overrides ?? {}) as [keyof LmStudioTimeouts, number][]) {
    if (value === undefined) continue;
    if (!(value > 0)) throw new RangeError(`timeouts.${key} must be a positive number of milliseconds`);
    timeouts[key] = value;
  }
  return timeouts;
}
