import { noEffectiveLimitFound, noEffectiveLimitReason } from "@lmstrix/core";
import type { ComponentProps } from "react";
import { Stat, StatGrid } from "~/components/facts";
import { formatCount, formatPercent } from "~/lib/format";
import { effectiveDerivation, type FilledCheckProbe, failedCheckBelow } from "../_lib/effective-derivation";
import type { EffectiveRun } from "../_lib/effective-runs";

interface Limits {
  declaredContext: number;
  loadableLimit: number | null;
  effectiveLimit: number | null;
  effectiveThreshold: number | null;
  lastGoodContext: number | null;
  lastBadContext: number | null;
  errorCategory: string | null;
  errorMessage: string | null;
  testStatus: string;
}

function share(value: number, whole: number): string {
  return `${Math.min(100, Math.max(0, (value / whole) * 100))}%`;
}

/**
 * Declared vs loadable (vs effective) at a glance: one bar scaled to the declared size, then the numbers; the
 * effective limit says which filled-window check it came from (`probes`: the model's listed probes).
 */
export function LimitSummary({
  model,
  probes,
  latestEffectiveRun,
}: {
  model: Limits;
  probes: readonly FilledCheckProbe[];
  /** The newest run that searched the effective limit: "none found" is a result, not "not measured". */
  latestEffectiveRun: Pick<EffectiveRun, "runId" | "effectiveLimit" | "recallThreshold"> | undefined;
}) {
  const declared = model.declaredContext;
  const derivation = effectiveDerivation(model.effectiveLimit, probes);
  const failedBelow = failedCheckBelow(model.effectiveLimit, probes, latestEffectiveRun?.runId);
  const aboveFailure =
    failedBelow === null
      ? ""
      : `; above a check that failed at ${formatCount(failedBelow)} prompt tokens, one wavering reading the curve weighs with the rest`;
  // A limit read off the recall curve fitted through the filled checks was set by no single one of them.
  const effectiveNote = derivation
    ? `${derivation.text} (run #${derivation.runId})`
    : model.effectiveLimit === null
      ? noEffectiveLimitFound(model)
        ? // The stored result says none found; the newest effective run names where.
          `none found${latestEffectiveRun ? ` in run #${latestEffectiveRun.runId}` : ""}: ${noEffectiveLimitReason(model.effectiveThreshold)}`
        : "not measured: test with “effective context”"
      : probes.some((probe) => probe.kind === "effective")
        ? `where the recall curve fitted through the filled checks crosses the threshold${aboveFailure}`
        : "largest filled window still recalled";
  const scale = Math.max(declared, model.lastBadContext ?? 0);
  const label = [
    `Declared ${formatCount(declared)} tokens`,
    model.loadableLimit !== null
      ? `loadable limit ${formatCount(model.loadableLimit)} (${formatPercent(model.loadableLimit, declared)})`
      : "loadable limit not measured",
    model.effectiveLimit !== null ? `effective limit ${formatCount(model.effectiveLimit)}` : null,
    model.lastBadContext !== null ? `last bad ${formatCount(model.lastBadContext)}` : null,
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <div className="flex flex-col gap-4">
      <div role="img" aria-label={label} className="relative h-7 overflow-hidden rounded-md bg-slate-100">
        <div className="absolute inset-y-0 left-0 bg-slate-200" style={{ width: share(declared, scale) }} />
        {model.loadableLimit !== null ? (
          <div
            className="absolute inset-y-0 left-0 bg-emerald-500"
            style={{ width: share(model.loadableLimit, scale) }}
          />
        ) : null}
        {model.effectiveLimit !== null ? (
          <div
            className="absolute inset-y-1.5 left-0 rounded-r bg-emerald-800"
            style={{ width: share(model.effectiveLimit, scale) }}
          />
        ) : null}
        {model.lastBadContext !== null ? (
          <div
            className="absolute inset-y-0 w-0.5 bg-red-600"
            style={{ left: `calc(${share(model.lastBadContext, scale)} - 2px)` }}
          />
        ) : null}
      </div>
      <StatGrid>
        <Figure term="Declared" value={formatCount(declared)} swatch="bg-slate-300" />
        <Figure
          term="Loadable limit"
          value={formatCount(model.loadableLimit)}
          note={
            model.loadableLimit !== null
              ? `${formatPercent(model.loadableLimit, declared)} of declared`
              : undefined
          }
          swatch="bg-emerald-500"
        />
        <Figure
          term="Effective limit"
          value={formatCount(model.effectiveLimit)}
          note={effectiveNote}
          noteTestId="effective-derivation"
          swatch="bg-emerald-800"
        />
        <Figure term="Last good" value={formatCount(model.lastGoodContext)} />
        <Figure term="Last bad" value={formatCount(model.lastBadContext)} swatch="bg-red-600" />
      </StatGrid>
      {model.testStatus === "failed" && (model.errorMessage || model.errorCategory) ? (
        <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <strong>{model.errorCategory ?? "Failed"}:</strong> {model.errorMessage ?? "no message"}
        </p>
      ) : null}
    </div>
  );
}

/** A figure of the bar above, in large type. */
function Figure(props: Omit<ComponentProps<typeof Stat>, "className">) {
  return <Stat {...props} className="text-lg font-semibold tabular-nums" />;
}
