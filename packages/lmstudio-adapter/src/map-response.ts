import type { ResponseStats } from "@lmstrix/core";
import type { LLMPredictionStats } from "@lmstudio/sdk";

/** Timings the adapter measured itself, used where the host's stats leave a gap. */
export interface MeasuredTimings {
  /** Milliseconds from sending the chat to the first fragment, or null if none arrived. */
  firstTokenMs: number | null;
  /** Generation speed from fragment timing (tokens after the first fragment / time since it), or null. */
  tokensPerSecond?: number | null;
}

/**
 * Times a prediction from the adapter's side: when the first token (or fragment) arrived, and how fast
 * fragments' tokens came after it. Used where LM Studio's stats leave a gap.
 */
export class PredictionTimer {
  private readonly sentAt: number;
  private firstTokenAt: number | null = null;
  private firstFragmentAt: number | null = null;
  private lastFragmentAt: number | null = null;
  private tokensAfterFirst = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.sentAt = now();
  }

  /** LM Studio says the first token is out. */
  firstToken(): void {
    this.firstTokenAt ??= this.now();
  }

  /** A fragment arrived with this many tokens (reasoning included: it is generation too). */
  fragment(tokensCount: number): void {
    const at = this.now();
    if (this.firstFragmentAt === null) this.firstFragmentAt = at;
    else this.tokensAfterFirst += Math.max(0, tokensCount);
    this.lastFragmentAt = at;
  }

  measured(): Required<MeasuredTimings> {
    const firstAt = this.firstTokenAt ?? this.firstFragmentAt;
    const spanMs =
      this.firstFragmentAt !== null && this.lastFragmentAt !== null
        ? this.lastFragmentAt - this.firstFragmentAt
        : 0;
    return {
      firstTokenMs: firstAt === null ? null : firstAt - this.sentAt,
      tokensPerSecond:
        spanMs > 0 && this.tokensAfterFirst > 0 ? this.tokensAfterFirst / (spanMs / 1000) : null,
    };
  }
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
    tokensPerSecond: finiteOrNull(stats.tokensPerSecond) ?? measured.tokensPerSecond ?? null,
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
