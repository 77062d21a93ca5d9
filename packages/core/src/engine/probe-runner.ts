import type { ModelSummary } from "../domain/model";
import type { ProbeKind, ProbeResult } from "../domain/probe";
import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import type { ModelHandle, Response } from "../ports/model-runtime";
import type { ProbeRecord } from "../ports/store";
import { CHECK_MAX_TOKENS, CHECK_PROMPTS, CHECK_TEMPERATURE, containsWholeNumber } from "./check-prompts";
import type { RunContext } from "./run-context";
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
}

interface Attempt {
  applied: number | null;
  loadMs: number | null;
  checks: { prompt: string; reply: string; passed: boolean; response: Response }[];
}

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
  await warnNearPreviousBad(ctx, model, context, probe.previousBadContext);
  await ctx.emit("probe.started", { probeId: probe.id, modelKey: model.modelKey, context });

  let attempts = probe.attempts;
  for (;;) {
    attempts += 1;
    const attempt: Attempt = { applied: null, loadMs: null, checks: [] };
    try {
      await attemptProbe(ctx, input, probe.id, attempt);
      const passed = attempt.checks.some((check) => check.passed);
      const finished = await finish(ctx, probe.id, attempt, attempts, passed ? "pass" : "fail", null);
      if (passed) await restoreMarker(ctx, model, finished);
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
      if (verdict === "host-lost") {
        return { verdict, probe: null, probeId: probe.id, error };
      }
      const outcome = verdict === "cancelled" ? "cancelled" : verdict === "model-failed" ? "error" : "fail";
      const finished = await finish(ctx, probe.id, attempt, attempts, outcome, error);
      await announce(ctx, model, finished);
      const probeVerdict: ProbeVerdict = outcome === "fail" ? "fail" : (verdict as ProbeVerdict);
      return { verdict: probeVerdict, probe: finished, probeId: probe.id, error };
    }
  }
}

async function attemptProbe(ctx: RunContext, input: ProbeInput, probeId: number, attempt: Attempt) {
  let handle: ModelHandle | undefined;
  let reportedStep = -1;
  try {
    handle = await ctx.runtime.load(input.model.modelKey, {
      contextLength: input.context,
      signal: ctx.signal,
      onProgress: (progress) => {
        // One event per 10 % step: enough for a progress bar, few enough rows for a 57-model night.
        const step = Math.floor(progress * 10);
        if (step <= reportedStep) return;
        reportedStep = step;
        void ctx.emit("probe.loadProgress", { probeId, modelKey: input.model.modelKey, progress: step / 10 });
      },
    });
    attempt.applied = handle.contextLength;
    attempt.loadMs = handle.loadMs;
    for (const check of CHECK_PROMPTS) {
      const response = await ctx.runtime.respond(handle, {
        messages: [{ role: "user", content: check.prompt }],
        maxTokens: CHECK_MAX_TOKENS,
        temperature: CHECK_TEMPERATURE,
        signal: ctx.signal,
      });
      const passed = containsWholeNumber(response.text, check.expected);
      attempt.checks.push({ prompt: check.prompt, reply: response.text, passed, response });
      // lmstrix: either prompt passing is a pass; the second is only asked when the first fails.
      if (passed) break;
    }
  } finally {
    if (handle) await unloadQuietly(ctx, handle);
  }
}

/** Unloads in every case; a model that is already gone (or a host that is) is not this probe's failure. */
async function unloadQuietly(ctx: RunContext, handle: ModelHandle) {
  try {
    await ctx.runtime.unload(handle);
  } catch (error) {
    if (isRuntimeError(error) && error.category === "NOT_FOUND") return;
    await ctx.emit("warning", {
      modelKey: handle.modelKey,
      message: `Could not unload ${handle.identifier}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
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
    prompt: attempt.checks.length ? attempt.checks.map((check) => check.prompt).join("\n") : null,
    reply: attempt.checks.length ? attempt.checks.map((check) => check.reply).join("\n") : null,
    loadMs: attempt.loadMs === null ? null : Math.round(attempt.loadMs),
    timeToFirstTokenMs: first?.timeToFirstTokenMs == null ? null : Math.round(first.timeToFirstTokenMs),
    promptTokens: first?.promptTokens ?? null,
    promptTokensPerSec: first?.promptTokensPerSecond ?? null,
    genTokensPerSec: first?.tokensPerSecond ?? null,
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

async function warnNearPreviousBad(
  ctx: RunContext,
  model: ModelSummary,
  context: number,
  bad: number | null,
) {
  if (bad === null || context < bad * 0.8) return;
  const share = Math.round((context / bad) * 100);
  const loud = context >= bad * 0.9;
  await ctx.emit("warning", {
    modelKey: model.modelKey,
    context,
    level: loud ? "high" : "medium",
    message: `${context} is ${share} % of the last known bad size ${bad}${loud ? ": this load may crash the machine" : ""}`,
  });
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
    reply: probe.reply,
    loadMs: probe.loadMs,
    genTokensPerSec: probe.genTokensPerSec,
  });
}

function toRuntimeError(error: unknown, signal: AbortSignal): RuntimeError {
  if (isRuntimeError(error)) return error;
  if (signal.aborted) return new RuntimeError("CANCELLED", "The run was cancelled", { cause: error });
  return new RuntimeError("UNKNOWN", error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
