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
import { type RunLimitPoint, timeDomain } from "../../models/[id]/_lib/history";
import {
  type ComparedModelSeries,
  effectiveHistory,
  limitHistory,
  modelColor,
  seriesLabel,
  seriesWords,
} from "../_lib/compare-series";

type LimitKind = "loadable" | "effective";
type LimitPoint = RunLimitPoint & { label: string; kind: LimitKind };

/**
 * Each model's limits run by run, on one time axis and one context axis, a colour per model: the loadable
 * limit (◆, solid) and, for runs with the effective check, the effective limit (●, dashed) — a noisy
 * measurement, so every run's is drawn, not only the last.
 */
export function CompareHistoryChart({ models }: { models: readonly ComparedModelSeries[] }) {
  const series = models.map((model, index) => {
    const label = seriesLabel(model);
    const of = (kind: LimitKind, points: RunLimitPoint[]): LimitPoint[] =>
      points.map((point) => ({ ...point, label, kind }));
    return {
      label,
      color: modelColor(index),
      points: of("loadable", limitHistory(model)),
      effective: of("effective", effectiveHistory(model)),
    };
  });
  const all = series.flatMap((entry) => [...entry.points, ...entry.effective]);
  if (all.length === 0) {
    return (
      <p data-testid="compare-history-empty" className="text-sm text-slate-600">
        No run has found a loadable limit of these models yet: test them to draw their history.
      </p>
    );
  }
  const domain = timeDomain(all.map((point) => point.time));
  const effectiveOf = new Map(series.map((entry) => [entry.label, entry.effective]));
  const { summary, keyItems } = seriesWords(
    series,
    (points) => {
      const loadable = `${plural(points.length, "run")}, latest loadable limit ${formatCount(points.at(-1)?.context)} tokens`;
      const effective = effectiveOf.get(points[0]!.label) ?? [];
      return effective.length === 0
        ? loadable
        : `${loadable}, latest effective limit ${formatCount(effective.at(-1)?.context)} tokens (${plural(effective.length, "run")})`;
    },
    "no limit found yet",
  );
  const hasEffective = series.some((entry) => entry.effective.length > 0);
  return (
    <ChartFrame
      testId="compare-history-chart"
      summary={`${hasEffective ? "Loadable and effective limits" : "Loadable limit"} run by run. ${summary}`}
      height={280}
      className="m-0 flex flex-col gap-3"
      after={
        <SeriesKey
          testId="compare-history-key"
          items={keyItems}
          notes={[
            "◆ a run's loadable limit, at its last probe",
            ...(hasEffective ? ["● a run's effective limit (dashed), at its end"] : []),
          ]}
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
      {series.map((entry) =>
        entry.effective.length > 0 ? (
          <Scatter
            key={`${entry.label} effective`}
            name={`${entry.label}, effective`}
            data={entry.effective}
            fill={entry.color}
            shape="circle"
            line={{ stroke: entry.color, strokeWidth: 1.5, strokeDasharray: "4 3" }}
            isAnimationActive={false}
          />
        ) : null,
      )}
    </ChartFrame>
  );
}

function LimitTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active ? (payload?.[0]?.payload as LimitPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">{point.label}</p>
      <p>
        Run #{point.runId}: {point.kind} limit {formatCount(point.context)} tokens
      </p>
      <p className="text-slate-500">{formatDateTime(new Date(point.time))}</p>
    </div>
  );
}
