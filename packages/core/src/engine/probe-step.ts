import type { ModelSummary } from "../domain/model";
import type { ProbeKind } from "../domain/probe";
import { isRuntimeError, RuntimeError } from "../errors/runtime-error";
import { waitForHost } from "./host-connection";
import { withHost } from "./host-step";
import type { ModelHistory } from "./model-history";
import { finishUnmeasured, type ProbeCheck, type ProbeRun, restoreBadMarker, runProbe } from "./probe-runner";
import { isUserCancel, type RunContext, STOP_REASONS } from "./run-context";
import { StopRun } from "./run-result";
import type { SearchStep } from "./search";

/** Which search a probe belongs to, and what it asks the loaded model (default: the loadable check). */
export interface ProbeKindSpec {
  kind: ProbeKind;
  check?: ProbeCheck;
}
const LOADABLE: ProbeKindSpec = { kind: "loadable" };

/**
 * Runs one probe a search asked for. A host that goes away mid-probe is waited for and the probe run again;
 * one that stays away stops the whole run.
 */
export async function probeStep(
  ctx: RunContext,
  hostUrl: string,
  model: ModelSummary,
  step: Extract<SearchStep, { kind: "probe" }>,
  history: ModelHistory,
  spec: ProbeKindSpec = LOADABLE,
): Promise<ProbeRun> {
  // Skipped before this probe began: no probe row, no load (see `ModelSkips.run`).
  if (ctx.signal.aborted && ctx.signal.reason === STOP_REASONS.skipped) {
    throw new RuntimeError("CANCELLED", "The model was skipped");
  }
  if (!history.hasProbes && spec.kind === "loadable") {
    await ctx.emit("model.started", { modelKey: model.modelKey, declared: model.declaredContext });
  }
  for (;;) {
    const result = await runProbe(ctx, {
      model,
      context: step.context,
      kind: spec.kind,
      reuseProbeId: history.unfinished.get(step.context),
      phase: step.phase,
      ...(spec.check && { check: spec.check }),
    });
    if (result.verdict === "cancelled") throw new RuntimeError("CANCELLED", "Cancelled");
    if (result.verdict !== "host-lost") return result;
    // The host went away mid-probe: wait for it, clean up what the probe may have left, run the probe again.
    await ctx.emit("warning", {
      modelKey: model.modelKey,
      message: `Lost LM Studio: ${result.error?.message}`,
    });
    try {
      await waitForHost(ctx, hostUrl);
      // The host can drop again right after it came back: that is the same outage, not an internal error.
      await withHost(ctx, hostUrl, () => unloadModelInstances(ctx, model.modelKey));
    } catch (error) {
      // A shutdown or a lost lease during the wait: the probe stays open, to run again in its row on resume.
      if (ctx.signal.aborted && !isUserCancel(ctx.signal)) throw error;
      const lost = await finishUnmeasured(
        ctx,
        result.probeId,
        "cancelled",
        new RuntimeError("DISCONNECTED", result.error?.message ?? "Lost LM Studio"),
      );
      // The host's outage says nothing about this size: the model's last bad size goes back to what it was.
      await restoreBadMarker(ctx, model, lost);
      if (isRuntimeError(error) && error.category === "UNREACHABLE") {
        throw new StopRun({ status: "failed", message: error.message });
      }
      throw error;
    }
    history.unfinished.set(step.context, result.probeId);
  }
}

async function unloadModelInstances(ctx: RunContext, modelKey: string) {
  const loaded = await ctx.runtime.listLoaded({ signal: ctx.signal });
  for (const instance of loaded.filter((candidate) => candidate.modelKey === modelKey)) {
    await ctx.runtime.unload(instance.identifier, { signal: ctx.signal });
  }
}
