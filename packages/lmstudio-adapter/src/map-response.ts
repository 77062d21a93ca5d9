import type { ResponseStats } from "@lmstrix/core";
import type { LLMPredictionStats } from "@lmstudio/sdk";

/** Timings the adapter measured itself, used where the host's stats leave a gap. */
export interface MeasuredTimings {
  /** Milliseconds from sending the chat to the first fragment, or null if none arrived. */
  firstTokenMs: number | null;
}

/**
 * Maps the host's prediction stats to core's. The host reports seconds and may omit any field (very short
 * predictions give NaN/Infinity speeds, which the SDK leaves out); absent values become null.
 */
export function mapResponseStats(stats: LLMPredictionStats, measured: MeasuredTimings): ResponseStats {
  const promptTokens = finiteOrNull(stats.promptTokensCount);
  const timeToFirstTokenSec = finiteOrNull(stats.timeToFirstTokenSec);
  const timeToFirstTokenMs =
    timeToFirstTokenSec === null ? measured.firstTokenMs : timeToFirstTokenSec * 1000;
  return {
    stopReason: stats.stopReason,
    promptTokens,
    predictedTokens: finiteOrNull(stats.predictedTokensCount),
    timeToFirstTokenMs,
    tokensPerSecond: finiteOrNull(stats.tokensPerSecond),
    // The prompt is processed before the first token, so prompt speed ≈ prompt tokens / time to first token.
    promptTokensPerSecond:
      promptTokens !== null && promptTokens > 0 && timeToFirstTokenMs !== null && timeToFirstTokenMs > 0
        ? promptTokens / (timeToFirstTokenMs / 1000)
        : null,
  };
}

function finiteOrNull(value: number | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
