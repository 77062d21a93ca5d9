"use client";

import type { ReactNode } from "react";
import { CartesianGrid, ScatterChart } from "recharts";
import { contextAxis, formatContextTick, logAxis } from "../_lib/axis-ticks";
import { timeTickFormatter } from "../_lib/history";

/** Tick text of every axis on the Model page. */
export const AXIS_TICK = { fontSize: 11, fill: "#475569" } as const;

/** An axis of context sizes from 0 to a little above the largest one, ticked at round sizes (16K, 32K…). */
export function contextAxisProps(maxContext: number) {
  const { domain, ticks } = contextAxis(maxContext);
  return {
    type: "number" as const,
    dataKey: "context",
    name: "Context",
    domain,
    ticks,
    interval: 0,
    tickFormatter: formatContextTick,
    tick: AXIS_TICK,
  };
}

/** An axis of time across `domain` (from `timeDomain`), labelled as finely as its span needs. */
export function timeAxisProps(domain: [number, number]) {
  return {
    type: "number" as const,
    dataKey: "time",
    name: "When",
    domain,
    scale: "time" as const,
    tickFormatter: timeTickFormatter(domain),
    tick: AXIS_TICK,
    minTickGap: 24,
  };
}

/**
 * A log axis of tokens/s over `values` (the positive ones): prompt processing runs tens of times faster than
 * generation, and a log scale keeps both readable. Its series plot `value`.
 */
export function rateAxisProps(values: readonly number[]) {
  const { domain, ticks } = logAxis(values.filter((value) => value > 0));
  return {
    type: "number" as const,
    dataKey: "value",
    name: "tok/s",
    scale: "log" as const,
    domain,
    ticks,
    interval: 0,
    tickFormatter: (value: number) => value.toLocaleString("en-US"),
    tick: AXIS_TICK,
    width: 52,
    label: {
      value: "tok/s (log)",
      angle: -90,
      position: "insideLeft" as const,
      fontSize: 11,
      fill: "#475569",
    },
  };
}

/** One entry of a chart's key: a swatch of the series' colour (dashed for a dashed line) and its name. */
export interface SeriesKeyItem {
  label: string;
  color: string;
  isDashed?: boolean;
}

/**
 * A chart's key under the drawing, as a list (the drawing is hidden from screen readers, whose caption says
 * the same); `notes` explain marks that stand for no single series (shapes, line styles).
 */
export function SeriesKey({
  items,
  notes = [],
  testId,
}: {
  items: readonly SeriesKeyItem[];
  notes?: readonly string[];
  testId?: string;
}) {
  return (
    <ul
      aria-hidden="true"
      data-testid={testId}
      className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600"
    >
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1.5">
          <span
            className="inline-block w-4 border-t-2"
            style={{ borderColor: item.color, borderTopStyle: item.isDashed ? "dashed" : "solid" }}
          />
          {item.label}
        </li>
      ))}
      {notes.map((note) => (
        <li key={note}>{note}</li>
      ))}
    </ul>
  );
}

/**
 * A chart as a figure: screen readers get `summary` as its caption, the drawing itself is hidden from them
 * (its points carry no accessible names). `children` are the chart's axes and series.
 */
export function ChartFrame({
  testId,
  summary,
  height,
  marginRight = 16,
  className = "m-0",
  after,
  children,
}: {
  testId: string;
  summary: ReactNode;
  height: number;
  marginRight?: number;
  className?: string;
  /** Shown below the drawing, inside the figure (a legend, a data table). */
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure data-testid={testId} className={className}>
      <figcaption className="sr-only">{summary}</figcaption>
      <div aria-hidden="true">
        <ScatterChart
          responsive
          style={{ width: "100%", height }}
          margin={{ top: 10, right: marginRight, bottom: 0, left: 8 }}
        >
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          {children}
        </ScatterChart>
      </div>
      {after}
    </figure>
  );
}
