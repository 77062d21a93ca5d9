import type { RunEvent } from "@lmstrix/core";
import { efficiency, formatCount, formatPercent } from "./numbers";
import { renderTable } from "./table";

/** One model's outcome in a run, read from its `model.finished` event. */
export interface ModelResult {
  modelKey: string;
  /** `skipped`: someone skipped the model while it was tested ("Skip this model", `cancel RUN --model KEY`). */
  status: "completed" | "failed" | "skipped";
  limit: number | null;
  declared: number;
  /** limit / declared in %, one decimal. */
  efficiency: number | null;
  errorCategory: string | null;
  reason: string | null;
  /**
   * Only when the run measured it (`--effective`): the effective limit (null: none), why, and the sizes between
   * which it lies (`low` is the limit; absent from results older than it).
   */
  effective?: {
    limit: number | null;
    reason: string | null;
    range?: { low: number; high: number };
    /** No size recalled the threshold (not a search that could not run); absent on older results. */
    noneFound?: boolean;
  };
}

/** The run's results from its events (the last word per model counts; a resumed run does not repeat one). */
export function resultsFromEvents(events: readonly RunEvent[]): ModelResult[] {
  const byModel = new Map<string, ModelResult>();
  for (const event of events) {
    if (event.type !== "model.finished") continue;
    const { modelKey, status, effectiveLimit, effectiveReason, effectiveRange, effectiveNoneFound } =
      event.payload;
    const limit = event.payload.limit ?? null;
    const declared = event.payload.declared ?? 0;
    byModel.delete(modelKey);
    byModel.set(modelKey, {
      modelKey,
      status,
      limit,
      declared,
      efficiency: efficiency(limit, declared),
      errorCategory: event.payload.errorCategory ?? null,
      reason: event.payload.reason ?? null,
      ...(effectiveLimit !== undefined && {
        effective: {
          limit: effectiveLimit,
          reason: effectiveReason ?? null,
          ...(effectiveRange && { range: effectiveRange }),
          ...(effectiveNoneFound !== undefined && { noneFound: effectiveNoneFound }),
        },
      }),
    });
  }
  return [...byModel.values()];
}

/** lmstrix's closing table: model, status, loadable limit, (effective limit,) declared context, efficiency. */
export function renderFinalResults(results: readonly ModelResult[]): string {
  // The effective context appears only when the run measured it.
  const hasEffective = results.some((result) => result.effective !== undefined);
  const columns = [
    { header: "Model" },
    { header: "Status" },
    { header: "Loadable limit", align: "right" as const },
    ...(hasEffective ? [{ header: "Effective", align: "right" as const }] : []),
    { header: "Declared", align: "right" as const },
    { header: "Efficiency", align: "right" as const },
  ];
  const rows = results.map((result) => [
    result.modelKey,
    result.status === "completed"
      ? "✓ Completed"
      : result.status === "skipped"
        ? "⏭ Skipped"
        : `✗ Failed${result.errorCategory ? ` (${result.errorCategory})` : ""}`,
    formatCount(result.limit),
    ...(hasEffective
      ? [result.effective?.noneFound ? "none found" : formatCount(result.effective?.limit ?? null)]
      : []),
    formatCount(result.declared),
    formatPercent(result.efficiency),
  ]);
  return renderTable(columns, rows, "Final Results");
}
