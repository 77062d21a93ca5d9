"use client";

import { plural } from "@lmstrix/core";
import { useId, useState } from "react";
import { Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { Button } from "~/components/button";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
import { formatCount, formatDuration, formatTokensPerSecond } from "~/lib/format";
import { linearAxis } from "../_lib/axis-ticks";
import { type SpeedKind, type SpeedPoint, type SpeedProbe, speedPoints, speedSeries } from "../_lib/speed";
import { ChartFrame, contextAxisProps, rateAxisProps, SeriesKey } from "./chart-frame";

const COLORS = { gen: "#065f46", prompt: "#0369a1", ttft: "#b45309" };

type Figure = "genTokensPerSec" | "promptTokensPerSec" | "ttftSec";

const SERIES: { figure: Figure; label: string; color: string; axis: "rate" | "ttft" }[] = [
  { figure: "genTokensPerSec", label: "Generation tok/s", color: COLORS.gen, axis: "rate" },
  { figure: "promptTokensPerSec", label: "Prompt processing tok/s", color: COLORS.prompt, axis: "rate" },
  { figure: "ttftSec", label: "Time to first token (s)", color: COLORS.ttft, axis: "ttft" },
];

const KINDS: { kind: SpeedKind; label: string; shape: "circle" | "triangle" }[] = [
  { kind: "filled", label: "filled window", shape: "circle" },
  { kind: "short", label: "short check", shape: "triangle" },
];

const TABLE_COLUMNS: Column[] = [
  { label: "Context", align: "right" },
  { label: "Check" },
  { label: "Generation", align: "right" },
  { label: "Prompt processing", align: "right" },
  { label: "First token", align: "right" },
  { label: "Load time", align: "right" },
  { label: "Run" },
];

function range(values: readonly (number | null)[], format: (value: number) => string): string | null {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return null;
  const low = Math.min(...known);
  const high = Math.max(...known);
  return low === high ? format(low) : `${format(low)} to ${format(high)}`;
}

const seconds = (value: number) => formatDuration(value * 1000);

/** What the chart shows, in words (its caption for screen readers). */
export function speedSummary(points: readonly SpeedPoint[]): string {
  const filled = points.filter((point) => point.kind === "filled");
  const short = points.filter((point) => point.kind === "short");
  const describe = (group: readonly SpeedPoint[], name: string) => {
    if (group.length === 0) return null;
    const parts = [
      range(
        group.map((point) => point.genTokensPerSec),
        formatTokensPerSecond,
      ),
      range(
        group.map((point) => point.promptTokensPerSec),
        formatTokensPerSecond,
      ),
      range(
        group.map((point) => point.ttftSec),
        seconds,
      ),
    ];
    // Points come sorted by context: the first and the last are the group's smallest and largest windows.
    const [first, last] = [group[0]!.context, group.at(-1)!.context];
    const sizes =
      first === last ? `at ${formatCount(first)}` : `from ${formatCount(first)} to ${formatCount(last)}`;
    return `${plural(group.length, name)} ${sizes} tokens: generation ${parts[0] ?? "not measured"}, prompt processing ${
      parts[1] ?? "not measured"
    }, first token after ${parts[2] ?? "not measured"}`;
  };
  return (
    [describe(filled, "filled-window check"), describe(short, "short check")].filter(Boolean).join(". ") + "."
  );
}

/** Speed against context size: generation and prompt tokens/s (left axis), time to first token (right). */
export function SpeedChart({ probes }: { probes: readonly SpeedProbe[] }) {
  const points = speedPoints(probes);
  if (points.length === 0) {
    return (
      <p data-testid="speed-chart-empty" className="text-sm text-slate-600">
        No passing probe has speed figures yet. Test the model to measure load time, time to first token and
        tokens/s.
      </p>
    );
  }
  const maxContext = Math.max(...points.map((point) => point.context));
  const hasTtft = points.some((point) => point.ttftSec !== null);
  const ttftAxis = linearAxis(Math.max(0, ...points.map((point) => point.ttftSec ?? 0)));
  const rates = points.flatMap((point) => [point.genTokensPerSec ?? 0, point.promptTokensPerSec ?? 0]);
  return (
    <ChartFrame
      testId="speed-chart"
      summary={`Speed by context size. ${speedSummary(points)}`}
      height={260}
      marginRight={8}
      className="m-0 flex flex-col gap-3"
      after={<SpeedLegendAndTable points={points} />}
    >
      <XAxis {...contextAxisProps(maxContext)} />
      <YAxis yAxisId="rate" {...rateAxisProps(rates)} />
      <YAxis
        yAxisId="ttft"
        orientation="right"
        type="number"
        dataKey="value"
        name="s"
        domain={ttftAxis.domain}
        ticks={ttftAxis.ticks}
        interval={0}
        hide={!hasTtft}
        tickFormatter={(value: number) => `${value} s`}
        tick={{ fontSize: 11, fill: COLORS.ttft }}
        width={52}
      />
      <Tooltip content={SpeedTooltip} cursor={{ strokeDasharray: "3 3" }} />
      {SERIES.flatMap((series) =>
        KINDS.map((kind) => {
          // A log axis has no place for 0 tok/s.
          const data = speedSeries(points, kind.kind, series.figure).filter(
            (point) => series.axis !== "rate" || point.value > 0,
          );
          return data.length > 0 ? (
            <Scatter
              key={`${series.figure}-${kind.kind}`}
              name={`${series.label}, ${kind.label}`}
              yAxisId={series.axis}
              data={data}
              fill={kind.kind === "filled" ? series.color : "#ffffff"}
              stroke={series.color}
              shape={kind.shape}
              line={{ stroke: series.color, strokeDasharray: kind.kind === "filled" ? undefined : "4 3" }}
              isAnimationActive={false}
            />
          ) : null;
        }),
      )}
    </ChartFrame>
  );
}

function SpeedTable({ points }: { points: readonly SpeedPoint[] }) {
  return (
    <CardTable caption="Speed of passing probes by context size" columns={TABLE_COLUMNS}>
      {points.map((point) => (
        <tr key={point.probeId}>
          <td className={NUMBER_CELL}>{formatCount(point.context)}</td>
          <td className={CELL}>{point.kind === "filled" ? "Filled window" : "Short check"}</td>
          <td className={NUMBER_CELL}>{formatTokensPerSecond(point.genTokensPerSec)}</td>
          <td className={NUMBER_CELL}>{formatTokensPerSecond(point.promptTokensPerSec)}</td>
          <td className={NUMBER_CELL}>{point.ttftSec === null ? "-" : seconds(point.ttftSec)}</td>
          <td className={NUMBER_CELL}>{formatDuration(point.loadMs)}</td>
          <td className={CELL}>#{point.runId}</td>
        </tr>
      ))}
    </CardTable>
  );
}

function SpeedTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active ? (payload?.[0]?.payload as SpeedPoint | undefined) : undefined;
  if (!point) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">
        {point.kind === "filled" ? "Filled window" : "Short check"} at {formatCount(point.context)} tokens
        (run #{point.runId})
      </p>
      <p>Generation: {formatTokensPerSecond(point.genTokensPerSec)}</p>
      <p>Prompt processing: {formatTokensPerSecond(point.promptTokensPerSec)}</p>
      <p>First token after: {point.ttftSec === null ? "-" : seconds(point.ttftSec)}</p>
      <p>Load time: {formatDuration(point.loadMs)}</p>
    </div>
  );
}

/** The series key (the drawing is hidden from screen readers) and the data table behind the chart. */
function SpeedLegendAndTable({ points }: { points: readonly SpeedPoint[] }) {
  const tableId = useId();
  const [isTableShown, setTableShown] = useState(false);
  return (
    <>
      <SeriesKey
        items={SERIES.map((series) => ({ label: series.label, color: series.color }))}
        notes={["● solid: filled window (first token at a full window)", "△ dashed: short check"]}
      />
      <div>
        <Button
          size="sm"
          aria-expanded={isTableShown}
          aria-controls={tableId}
          onClick={() => setTableShown((shown) => !shown)}
        >
          {isTableShown ? "Hide data table" : "Show data table"}
        </Button>
      </div>
      <div id={tableId} hidden={!isTableShown}>
        {isTableShown ? <SpeedTable points={points} /> : null}
      </div>
    </>
  );
}
