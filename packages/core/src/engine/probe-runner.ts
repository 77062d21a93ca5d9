import type { ModelSummary } from "../domain/model";
import type { ProbeKind, ProbeResult } from "../domain/probe";
import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import type { ModelHandle, Response } from "../ports/model-runtime";
import type { FilledCheckFigures, ProbeRecord } from "../ports/store";
import { CHECK_MAX_TOKENS, CHECK_PROMPTS, CHECK_TEMPERATURE, containsWholeNumber } from "./check-prompts";
import { warnNearPreviousBad } from "./crash-warning";
import { loadProgressEvents } from "./load-progress";
import { loadUnlessStalled } from "./load-watchdog";
import { isUserCancel, type RunContext } from "./run-context";
import type { SearchPhase } from "./search";
import { SYSTEM_TIMERS } from "./timers";
import { type ErrorVerdict, verdictFor } from "./verdict";

export type ProbeVerdict = "pass" | "fail" | Exclude<ErrorVerdict, "size-failed" | "retry">;

export interface ProbeRun {
  verdict: ProbeVerdict;
  /** The finished probe; `null` when the host was lost and the probe stays open to be run again. */
  probe: ProbeRecord | null;
  probeId: number;
  error: RuntimeError | null;
}

export interface ProbeInput {
  model: ModelSummary;
  context: number;
  kind: ProbeKind;
  /** An unfinished probe of this run at the same size, to run again instead of adding a row. */
  reuseProbeId?: number;
  /** Why the search chose this size (recorded on the `probe.started` event). */
  phase?: SearchPhase;
  /** What is asked once the model is loaded; default: lmstrix's check prompts (`loadableCheck`). */
  check?: ProbeCheck;
}

/** What one attempt of a probe produced; a `ProbeCheck` fills `checks` (and `filled` for a filled check). */
export interface Attempt {
  applied: number | null;
  loadMs: number | null;
  /** `expected`: the answer(s) the check asked for, one line per question line of `prompt`. */
  checks: { prompt: string; expected: string; reply: string; passed: boolean; response: Response }[];
  filled?: FilledCheckFigures;
}

/**
 * The questions a probe asks the loaded model. Records each one in `attempt.checks`; the probe passes when
 * any check passed. Throws `RuntimeError`s like any runtime call; they are classified like load errors.
 */
export type ProbeCheck = (
  ctx: RunContext,
  input: ProbeInput,
  handle: ModelHandle,
  attempt: Attempt,
) => Promise<void>;

/** lmstrix's loadable check: either of the two short prompts answered (the second only asked when the first fails). */
export const loadableCheck: ProbeCheck = async (ctx, _input, handle, attempt) => {
  for (const check of CHECK_PROMPTS) {
    const response = await ctx.runtime.respond(handle, {
      messages: [{ role: "user", content: check.prompt }],
      maxTokens: CHECK_MAX_TOKENS,
      temperature: CHECK_TEMPERATURE,
      signal: ctx.signal,
    });
    const passed = containsWholeNumber(response.text, check.expected);
    const expected = String(check.expected);
    attempt.checks.push({ prompt: check.prompt, expected, reply: response.text, passed, response });
    if (passed) break;
  }
};

/**
 * One probe: marker first, then load → check prompts → unload (always), with TIMEOUT retries inside the same
 * probe row. Never throws a `RuntimeError`: every outcome is a verdict for the search.
 */
export async function runProbe(ctx: RunContext, input: ProbeInput): Promise<ProbeRun> {
  const { model, context } = input;
  const probe = await ctx.store.startProbe({
    runId: ctx.runId,
    modelId: model.id,
    contextRequested: context,
    kind: input.kind,
    reuseProbeId: input.reuseProbeId,
  });
  // A filled check loads at sizes the loadable search already passed: no crash warning for those.
  if (input.kind === "loadable")
    await warnNearPreviousBad(ctx, model, context, probe.previousBadContext, probe.id);
  await ctx.emit("probe.started", {
    probeId: probe.id,
    modelKey: model.modelKey,
    context,
    ...(input.phase !== undefined && { phase: input.phase }),
    // Viewers show how long the load has sat still against this (0: no stall rule).
    stallMs: ctx.settings.loadStallMs,
  });

  let attempts = probe.attempts;
  for (;;) {
    attempts += 1;
    const attempt: Attempt = { applied: null, loadMs: null, checks: [] };
    try {
      await attemptProbe(ctx, input, probe.id, attempt);
      const passed = attempt.checks.some((check) => check.passed);
      const finished = await finish(ctx, probe.id, attempt, attempts, passed ? "pass" : "fail", null);
      if (passed) await restoreMarker(ctx, model, finished);
      // A filled check that loaded and answered wrongly says nothing against loading at this size.
      else if (input.kind === "effective") await restoreBadMarker(ctx, model, finished);
      await announce(ctx, model, finished);
      return { verdict: passed ? "pass" : "fail", probe: finished, probeId: probe.id, error: null };
    } catch (caught) {
      const error = toRuntimeError(caught, ctx.signal);
      const verdict = verdictFor(error.category);
      if (verdict === "retry" && attempts <= ctx.settings.timeoutRetries) {
        await ctx.emit("warning", {
          modelKey: model.modelKey,
          context,
          message: `Timed out (attempt ${attempts}); trying again in ${ctx.settings.timeoutPauseMs / 1000} s`,
        });
        await ctx.sleep(ctx.settings.timeoutPauseMs);
        continue;
      }
      // Host lost, or this process stops (shutdown, lease taken over): the probe stays open and is run again
      // by whoever resumes the run, in the same row.
      if (verdict === "host-lost" || (verdict === "cancelled" && !isUserCancel(ctx.signal))) {
        return { verdict, probe: null, probeId: probe.id, error };
      }
      const outcome = verdict === "cancelled" ? "cancelled" : verdict === "model-failed" ? "error" : "fail";
      const finished = await finish(ctx, probe.id, attempt, attempts, outcome, error);
      // A cancelled probe proved nothing about its size: the pessimistic marker goes back. Nor does a filled
      // check whose prompt did not fit: the size loads, only the check could not be asked.
      const isUnaskable = input.kind === "effective" && error.category === "CONTEXT_OVERFLOW";
      if (outcome === "cancelled" || isUnaskable) await restoreBadMarker(ctx, model, finished);
      await announce(ctx, model, finished);
      const probeVerdict: ProbeVerdict = outcome === "fail" ? "fail" : (verdict as ProbeVerdict);
      return { verdict: probeVerdict, probe: finished, probeId: probe.id, error };
    }
  }
}

async function attemptProbe(ctx: RunContext, input: ProbeInput, probeId: number, attempt: Attempt) {
  let handle: ModelHandle | undefined;
  const timers = ctx.timers ?? SYSTEM_TIMERS;
  const { modelKey } = input.model;
  const progress = loadProgressEvents(ctx, probeId, modelKey, timers);
  try {
    handle = await loadUnlessStalled(
      ctx.runtime,
      modelKey,
      { contextLength: input.context, signal: ctx.signal, onProgress: progress.onProgress },
      { stallMs: ctx.settings.loadStallMs, timers },
    );
    progress.loaded();
    attempt.applied = handle.contextLength;
    attempt.loadMs = handle.loadMs;
    await (input.check ?? loadableCheck)(ctx, input, handle, attempt);
  } finally {
    progress.stop();
    if (handle) await unloadQuietly(ctx, handle);
  }
}

/** Connection trouble during an unload: worth another try on a fresh connection. */
const UNLOAD_RETRY_CATEGORIES = new Set(["DISCONNECTED", "UNREACHABLE", "TIMEOUT"]);
const UNLOAD_ATTEMPTS = 3;

/**
 * Unloads in every case (no signal: a cancelled run must still free the memory); a model that is already
 * gone is not this probe's failure. An instance left behind would hold memory and make every later probe of
 * the run fail too low, so a dropped connection is retried a few times before giving up with a warning.
 */
async function unloadQuietly(ctx: RunContext, handle: ModelHandle) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ctx.runtime.unload(handle);
      return;
    } catch (error) {
      if (isRuntimeError(error) && error.category === "NOT_FOUND") return;
      const isRetryable = isRuntimeError(error) && UNLOAD_RETRY_CATEGORIES.has(error.category);
      if (isRetryable && attempt < UNLOAD_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, ctx.settings.reconnectPauseMs * attempt));
        continue;
      }
      await ctx.emit("warning", {
        modelKey: handle.modelKey,
        message: `Could not unload ${handle.identifier}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
  }
}

/** Ends a probe that measured nothing (its single attempt lost the host): `outcome`, with `error`'s reason. */
export function finishUnmeasured(
  ctx: RunContext,
  probeId: number,
  outcome: ProbeResult["outcome"],
  error: RuntimeError,
): Promise<ProbeRecord> {
  return finish(ctx, probeId, { applied: null, loadMs: null, checks: [] }, 1, outcome, error);
}

async function finish(
  ctx: RunContext,
  probeId: number,
  attempt: Attempt,
  attempts: number,
  outcome: ProbeResult["outcome"],
  error: RuntimeError | null,
): Promise<ProbeRecord> {
  const first = attempt.checks[0]?.response.stats;
  return ctx.store.finishProbe(probeId, {
    outcome,
    attempts,
    contextApplied: attempt.applied,
    errorCategory: error?.category ?? null,
    errorMessage: error?.message ?? null,
    requiredBytes: error?.details?.requiredBytes ?? null,
    failedKvCacheBytes: error?.details?.failedKvCacheBytes ?? null,
    prompt: attempt.checks.length ? attempt.checks.map((check) => check.prompt).join("\n") : null,
    expectedAnswer: attempt.checks.length ? attempt.checks.map((check) => check.expected).join("\n") : null,
    reply: attempt.checks.length ? attempt.checks.map((check) => check.reply).join("\n") : null,
    loadMs: attempt.loadMs === null ? null : Math.round(attempt.loadMs),
    timeToFirstTokenMs: first?.timeToFirstTokenMs == null ? null : Math.round(first.timeToFirstTokenMs),
    promptTokens: first?.promptTokens ?? null,
    promptTokensPerSec: first?.promptTokensPerSecond ?? null,
    genTokensPerSec: first?.tokensPerSecond ?? null,
    recall: attempt.filled?.recall ?? null,
    promptTokensSent: attempt.filled?.promptTokensSent ?? null,
    isTruncated: attempt.filled?.isTruncated ?? null,
    needles: attempt.filled?.needles ?? null,
  });
}

/** After a pass the pessimistic marker is undone: the bad size it replaced comes back if still above. */
async function restoreMarker(ctx: RunContext, model: ModelSummary, probe: ProbeRecord) {
  const good = probe.contextApplied ?? probe.contextRequested;
  const previousBad = probe.previousBadContext;
  await ctx.store.updateModelSummary(model.id, {
    lastBadContext: previousBad !== null && previousBad > good ? previousBad : null,
    lastGoodContext: Math.max(good, model.lastGoodContext ?? 0),
  });
}

/** Puts back the bad size a probe replaced with its own (the probe did not prove its size bad). */
export async function restoreBadMarker(ctx: RunContext, model: ModelSummary, probe: ProbeRecord) {
  const current = await ctx.store.getModel(model.hostId, model.modelKey);
  // Only if nothing since has replaced the probe's own marker.
  if (current && current.lastBadContext === probe.contextRequested) {
    await ctx.store.updateModelSummary(model.id, { lastBadContext: probe.previousBadContext });
  }
}

async function announce(ctx: RunContext, model: ModelSummary, probe: ProbeRecord) {
  await ctx.emit("probe.finished", {
    probeId: probe.id,
    modelKey: model.modelKey,
    context: probe.contextRequested,
    applied: probe.contextApplied,
    outcome: probe.outcome,
    errorCategory: probe.errorCategory,
    errorMessage: probe.errorMessage,
    ...(probe.requiredBytes !== null && { requiredBytes: probe.requiredBytes }),
    reply: probe.reply,
    loadMs: probe.loadMs,
    genTokensPerSec: probe.genTokensPerSec,
    // What was asked and what was expected, so the run's log can show them beside the reply.
    kind: probe.kind,
    prompt: probe.prompt,
    expectedAnswer: probe.expectedAnswer,
    ...(probe.kind === "effective" && {
      recall: probe.recall,
      promptTokens: probe.promptTokens,
      promptTokensSent: probe.promptTokensSent,
      isTruncated: probe.isTruncated,
      promptTokensPerSec: probe.promptTokensPerSec,
    }),
  });
}

function toRuntimeError(error: unknown, signal: AbortSignal): RuntimeError {
  if (isRuntimeError(error)) return error;
  if (signal.aborted) return new RuntimeError("CANCELLED", "The run was cancelled", { cause: error });
  return new RuntimeError("UNKNOWN", error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
