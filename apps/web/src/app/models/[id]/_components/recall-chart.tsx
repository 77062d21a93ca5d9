"use client";

import { ReferenceLine, Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount } from "~/lib/format";
import { type RecallProbe, recallPoints } from "../_lib/history";
import { AXIS_TICK, ChartFrame, contextAxisProps } from "./chart-frame";

const COLORS = { recall: "#065f46", truncated: "#d97706", effective: "#0369a1" };

/** Filled-context checks: share of needles recalled (0–100 %) against the window size they filled. */
export function RecallChart({
  probes,
  effectiveLimit,
}: {
  probes: readonly RecallProbe[];
  effectiveLimit: number | null;
}) {
  const points = recallPoints(probes);
  if (points.length === 0) return null;
  const recalled = points.filter((point) => !point.isTruncated);
  const truncated = points.filter((point) => point.isTruncated);
  const maxContext = Math.max(...points.map((point) => point.context));
  const summary = `${points.length} filled-context checks from ${formatCount(points[0]?.context)} to ${formatCount(
    maxContext,
  )} tokens; ${points.filter((point) => point.recall >= 100).length} recalled every needle${
    truncated.length > 0 ? `; ${truncated.length} truncated by LM Studio` : ""
  }. Effective limit ${formatCount(effectiveLimit)}.`;
  return (
    <ChartFrame testId="recall-chart" summary={summary} height={240}>
      <XAxis {...contextAxisProps(maxContext)} />
      <YAxis
        type="number"
        dataKey="recall"
        name="Recall"
        domain={[0, 100]}
        ticks={[0, 25, 50, 75, 100]}
        tickFormatter={(value: number) => `${value}%`}
        tick={AXIS_TICK}
        width={48}
      />
      {effectiveLimit !== null ? (
        <ReferenceLine
          x={effectiveLimit}
          stroke={COLORS.effective}
          strokeDasharray="6 4"
          label={{ value: "effective", position: "insideTopLeft", fontSize: 11, fill: COLORS.effective }}
        />
      ) : null}
      <Tooltip content={RecallTooltip} cursor={{ strokeDasharray: "3 3" }} />
      <Scatter name="Recall" data={recalled} fill={COLORS.recall} isAnimationActive={false} />
      {truncated.length > 0 ? (
        <Scatter name="Truncated" data={truncated} fill={COLORS.truncated} isAnimationActive={false} />
      ) : null}
    </ChartFrame>
  );
}

function RecallTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active
    ? (payload?.[0]?.payload as
        | { context: number; recall: number; runId: number; isTruncated: boolean }
        | undefined)
    : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">Filled check in run #{point.runId}</p>
      <p>
        {formatCount(point.context)} tokens: {point.recall}% recalled
      </p>
      {point.isTruncated ? (
        <p className="text-amber-700">LM Studio processed fewer tokens than sent</p>
      ) : null}
    </div>
  );
}
