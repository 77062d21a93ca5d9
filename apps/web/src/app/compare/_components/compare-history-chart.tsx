"use client";

import { plural } from "@lmstrix/core";
import { Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount, formatDateTime } from "~/lib/format";
import {
  ChartFrame,
  contextAxisProps,
  SeriesKey,
  timeAxisProps,
} from "../../models/[id]/_components/chart-frame";
import { timeDomain } from "../../models/[id]/_lib/history";
import {
  type ComparedModelSeries,
  limitHistory,
  modelColor,
  seriesLabel,
  seriesWords,
} from "../_lib/compare-series";

/** Each model's loadable limit run by run, on one time axis and one context axis, a colour per model. */
export function CompareHistoryChart({ models }: { models: readonly ComparedModelSeries[] }) {
  const series = models.map((model, index) => ({
    label: seriesLabel(model),
    color: modelColor(index),
    points: limitHistory(model).map((point) => ({ ...point, label: seriesLabel(model) })),
  }));
  const all = series.flatMap((entry) => entry.points);
  if (all.length === 0) {
    return (
      <p data-testid="compare-history-empty" className="text-sm text-slate-600">
        No run has found a loadable limit of these models yet: test them to draw their history.
      </p>
    );
  }
  const domain = timeDomain(all.map((point) => point.time));
  const { summary, keyItems } = seriesWords(
    series,
    (points) =>
      `${plural(points.length, "run")}, latest loadable limit ${formatCount(points.at(-1)?.context)} tokens`,
    "no limit found yet",
  );
  return (
    <ChartFrame
      testId="compare-history-chart"
      summary={`Loadable limit run by run. ${summary}`}
      height={280}
      className="m-0 flex flex-col gap-3"
      after={
        <SeriesKey
          testId="compare-history-key"
          items={keyItems}
          notes={["◆ a run's loadable limit, at its last probe"]}
        />
      }
    >
      <XAxis {...timeAxisProps(domain)} />
      <YAxis {...contextAxisProps(Math.max(...all.map((point) => point.context)))} width={56} />
      <Tooltip content={LimitTooltip} cursor={{ strokeDasharray: "3 3" }} />
      {series.map((entry) =>
        entry.points.length > 0 ? (
          <Scatter
            key={entry.label}
            name={entry.label}
            data={entry.points}
            fill={entry.color}
            shape="diamond"
            line={{ stroke: entry.color, strokeWidth: 1.5 }}
            isAnimationActive={false}
          />
        ) : null,
      )}
    </ChartFrame>
  );
}

function LimitTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active
    ? (payload?.[0]?.payload as { label: string; runId: number; context: number; time: number } | undefined)
    : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">{point.label}</p>
      <p>
        Run #{point.runId}: loadable limit {formatCount(point.context)} tokens
      </p>
      <p className="text-slate-500">{formatDateTime(new Date(point.time))}</p>
    </div>
  );
}
