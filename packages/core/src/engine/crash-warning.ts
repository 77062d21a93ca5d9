import type { ModelSummary } from "../domain/model";
import type { ProbeRecord } from "../ports/store";
import { percent } from "../util/wording";
import type { RunContext } from "./run-context";
import { tokens } from "./search";

/** From this share of the last bad size on, a load is near it (a warning); from `LOUD_SHARE` on, very near. */
export const NEAR_BAD_SHARE = 0.8;
export const LOUD_SHARE = 0.9;

/** What a probe at the last bad size showed: how it ended, and whether LM Studio loaded anything. */
export type BadSizeProbe = Pick<ProbeRecord, "outcome" | "errorCategory" | "contextApplied">;

/**
 * LM Studio's guardrail refused the load before loading anything: it only said the load would not fit. Such a
 * refusal costs nothing and crashes nothing, so a size near it is no danger to the machine.
 */
export function isRefusalWithoutLoad(probe: BadSizeProbe): boolean {
  return (
    probe.outcome === "fail" &&
    probe.errorCategory === "INSUFFICIENT_RESOURCES" &&
    probe.contextApplied === null
  );
}

export interface CrashWarning {
  level: "high" | "medium";
  message: string;
}

/**
 * The warning before a load at `context` near the last known bad size `bad`, or `null` when it would not help:
 * the load is not near it, or the bad size was a refusal without loading. When nothing says how the bad size
 * failed (`badProbe` undefined: an imported marker, a crash that left no finished probe), the warning stays.
 */
export function crashWarning(
  context: number,
  bad: number | null,
  badProbe: BadSizeProbe | undefined,
): CrashWarning | null {
  if (bad === null || context < bad * NEAR_BAD_SHARE) return null;
  if (badProbe && isRefusalWithoutLoad(badProbe)) return null;
  const isLoud = context >= bad * LOUD_SHARE;
  return {
    level: isLoud ? "high" : "medium",
    message: `${tokens(context)} is ${percent(context / bad)} of the last known bad size ${tokens(bad)}${isLoud ? ": this load may crash the machine" : ""}`,
  };
}

/**
 * The newest earlier loadable probe of the model at `size`: this run's first (it holds the probes the markers
 * of a bisection come from, open ones included), else the host's finished load probes from earlier runs.
 */
async function lastProbeAt(
  ctx: RunContext,
  model: ModelSummary,
  size: number,
  currentProbeId: number,
): Promise<BadSizeProbe | undefined> {
  const isAtSize = (probe: { modelId: number; contextRequested: number }) =>
    probe.modelId === model.id && probe.contextRequested === size;
  const inRun = (await ctx.store.listRunProbes(ctx.runId))
    .filter((probe) => probe.kind === "loadable" && probe.id !== currentProbeId && isAtSize(probe))
    .at(-1);
  if (inRun) return inRun;
  return (await ctx.store.listLoadEvidence(model.hostId)).filter(isAtSize).at(-1);
}

/** Warns before a load near the model's last known bad size, unless that size was only refused (see above). */
export async function warnNearPreviousBad(
  ctx: RunContext,
  model: ModelSummary,
  context: number,
  bad: number | null,
  probeId: number,
): Promise<void> {
  // The history is read only for a load that is near the bad size at all.
  if (bad === null || context < bad * NEAR_BAD_SHARE) return;
  const warning = crashWarning(context, bad, await lastProbeAt(ctx, model, bad, probeId));
  if (warning) await ctx.emit("warning", { modelKey: model.modelKey, context, ...warning });
}
