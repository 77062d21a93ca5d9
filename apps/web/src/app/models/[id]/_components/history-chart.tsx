"use client";

import { Legend, ReferenceLine, Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount, formatDateTime } from "~/lib/format";
import { type HistoryProbe, probePoints, runLimits, timeDomain } from "../_lib/history";
import { historySummary, type ProbeCounts } from "../_lib/probe-count";
import { ChartFrame, contextAxisProps, timeAxisProps } from "./chart-frame";

const COLORS = { pass: "#059669", fail: "#dc2626", other: "#94a3b8", limit: "#0369a1", declared: "#64748b" };

/**
 * Every short check over time (pass green, fail or error red, other grey) and the loadable limit each run found
 * (blue); `counts` are the page's probe counts, which the Probes card below shows too.
 */
export function HistoryChart({
  probes,
  declared,
  counts,
}: {
  probes: readonly HistoryProbe[];
  declared: number;
  counts: ProbeCounts;
}) {
  if (probes.length === 0) {
    return (
      <p className="text-sm text-slate-500">No probes yet: the chart fills in as runs test this model.</p>
    );
  }
  const points = probePoints(probes);
  const limits = runLimits(probes);
  const domain = timeDomain(probes.map((p) => (p.finishedAt ?? p.startedAt).getTime()));
  const maxContext = Math.max(declared, ...probes.map((p) => p.contextRequested));
  const counted = historySummary(counts);
  const summary = `${counted} ${
    limits.length > 0
      ? `Latest run's loadable limit ${formatCount(limits.at(-1)?.context)} tokens.`
      : "No run has found a loadable limit yet."
  } Declared ${formatCount(declared)}.`;

  return (
    <ChartFrame
      testId="history-chart"
      summary={summary}
      height={300}
      after={
        <p aria-hidden="true" data-testid="history-counts" className="mt-2 text-xs text-slate-600">
          {counted}
        </p>
      }
    >
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...contextAxisProps(maxContext)} width={56} />
      <ReferenceLine
        y={declared}
        stroke={COLORS.declared}
        strokeDasharray="6 4"
        label={{ value: "declared", position: "insideTopRight", fontSize: 11, fill: COLORS.declared }}
      />
      <Tooltip content={ChartTooltip} cursor={{ strokeDasharray: "3 3" }} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <Scatter name="Pass" data={points.pass} fill={COLORS.pass} isAnimationActive={false} />
      <Scatter name="Fail" data={points.fail} fill={COLORS.fail} isAnimationActive={false} />
      {points.other.length > 0 ? (
        <Scatter name="Other" data={points.other} fill={COLORS.other} isAnimationActive={false} />
      ) : null}
      <Scatter
        name="Run's loadable limit"
        data={limits}
        fill={COLORS.limit}
        shape="diamond"
        line={{ stroke: COLORS.limit, strokeWidth: 1.5 }}
        isAnimationActive={false}
      />
    </ChartFrame>
  );
}

function ChartTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active ? (payload?.[0]?.payload as Record<string, number | string> | undefined) : undefined;
  if (!point) return null;
  const isLimit = point.probeId === undefined;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">
        {isLimit ? `Run #${point.runId}: loadable limit` : `Probe in run #${point.runId}: ${point.outcome}`}
      </p>
      <p>{formatCount(Number(point.context))} tokens</p>
      <p className="text-slate-500">{formatDateTime(new Date(Number(point.time)))}</p>
    </div>
  );
}
