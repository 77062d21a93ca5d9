"use client";

import type { ReactNode } from "react";
import { CartesianGrid, ScatterChart } from "recharts";
import { contextAxis, formatContextTick } from "../_lib/axis-ticks";

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
