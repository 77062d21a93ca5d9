"use client";

import { plural } from "@lmstrix/core";
import { Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount, formatTokensPerSecond } from "~/lib/format";
import {
  ChartFrame,
  contextAxisProps,
  rateAxisProps,
  SeriesKey,
} from "../../models/[id]/_components/chart-frame";
import {
  type ComparedModelSeries,
  generationSeries,
  modelColor,
  type RatePoint,
  seriesLabel,
  seriesWords,
} from "../_lib/compare-series";

const KINDS = [
  { kind: "filled", label: "filled window", shape: "circle", dash: undefined },
  { kind: "short", label: "short check", shape: "triangle", dash: "4 3" },
] as const;

/** Generation tokens/s by context size, every model on one pair of axes, a colour per model. */
export function CompareSpeedChart({ models }: { models: readonly ComparedModelSeries[] }) {
  const series = models.map((model, index) => {
    const label = seriesLabel(model);
    const { filled, short } = generationSeries(model);
    const tag = (points: RatePoint[]) => points.map((point) => ({ ...point, label }));
    const byKind = { filled: tag(filled), short: tag(short) };
    return { label, color: modelColor(index), ...byKind, points: [...byKind.filled, ...byKind.short] };
  });
  const all = series.flatMap((entry) => entry.points);
  if (all.length === 0) {
    return (
      <p data-testid="compare-speed-empty" className="text-sm text-slate-600">
        No passing probe of these models has a generation speed yet: test them to measure it.
      </p>
    );
  }
  const { summary, keyItems } = seriesWords(
    series,
    (points) => {
      const values = points.map((point) => point.value);
      return `${plural(points.length, "point")} from ${formatTokensPerSecond(Math.min(...values))} to ${formatTokensPerSecond(Math.max(...values))}`;
    },
    "no speed measured yet",
  );
  return (
    <ChartFrame
      testId="compare-speed-chart"
      summary={`Generation speed by context size. ${summary}`}
      height={280}
      marginRight={8}
      className="m-0 flex flex-col gap-3"
      after={
        <SeriesKey
          testId="compare-speed-key"
          items={keyItems}
          notes={["● solid: filled window", "△ dashed: short check"]}
        />
      }
    >
      <XAxis {...contextAxisProps(Math.max(...all.map((point) => point.context)))} />
      <YAxis {...rateAxisProps(all.map((point) => point.value))} />
      <Tooltip content={RateTooltip} cursor={{ strokeDasharray: "3 3" }} />
      {series.flatMap((entry) =>
        KINDS.map(({ kind, label, shape, dash }) => {
          const data = entry[kind];
          return data.length > 0 ? (
            <Scatter
              key={`${entry.label}-${kind}`}
              name={`${entry.label}, ${label}`}
              data={data}
              fill={kind === "filled" ? entry.color : "#ffffff"}
              stroke={entry.color}
              shape={shape}
              line={{ stroke: entry.color, strokeDasharray: dash }}
              isAnimationActive={false}
            />
          ) : null;
        }),
      )}
    </ChartFrame>
  );
}

function RateTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active ? (payload?.[0]?.payload as (RatePoint & { label: string }) | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">{point.label}</p>
      <p>
        {point.kind === "filled" ? "Filled window" : "Short check"} at {formatCount(point.context)} tokens
        (run #{point.runId})
      </p>
      <p>Generation: {formatTokensPerSecond(point.value)}</p>
    </div>
  );
}
