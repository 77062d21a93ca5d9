"use client";

import {
  CartesianGrid,
  ReferenceLine,
  Scatter,
  ScatterChart,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount } from "~/lib/format";
import { formatContextTick, type RecallProbe, recallPoints } from "../_lib/history";

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
    <figure data-testid="recall-chart" className="m-0">
      <figcaption className="sr-only">{summary}</figcaption>
      <div aria-hidden="true">
        <ScatterChart
          responsive
          style={{ width: "100%", height: 240 }}
          margin={{ top: 10, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="context"
            name="Context"
            domain={[0, Math.ceil(maxContext * 1.05)]}
            tickFormatter={formatContextTick}
            tick={{ fontSize: 11, fill: "#475569" }}
          />
          <YAxis
            type="number"
            dataKey="recall"
            name="Recall"
            domain={[0, 100]}
            ticks={[0, 25, 50, 75, 100]}
            tickFormatter={(value: number) => `${value} %`}
            tick={{ fontSize: 11, fill: "#475569" }}
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
        </ScatterChart>
      </div>
    </figure>
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
        {formatCount(point.context)} tokens: {point.recall} % recalled
      </p>
      {point.isTruncated ? (
        <p className="text-amber-700">LM Studio processed fewer tokens than sent</p>
      ) : null}
    </div>
  );
}
