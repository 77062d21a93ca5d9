"use client";

import { recallAt } from "@lmstrix/core";
import { useMemo } from "react";
import { ReferenceLine, Scatter, Tooltip, type TooltipContentProps, XAxis, YAxis } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import { formatCount, formatRecall } from "~/lib/format";
import type { EffectiveRun } from "../_lib/effective-runs";
import { type FittedRecall, fittedRecall } from "../_lib/fitted-recall";
import { type RecallProbe, recallPoints } from "../_lib/history";
import {
  type MeanRecallPoint,
  meanRecallBySize,
  promptTokensBySize,
  relativeToShort,
  shortContextScore,
} from "../_lib/recall-curve";
import { AXIS_TICK, ChartFrame, contextAxisProps } from "./chart-frame";

const COLORS = {
  recall: "#065f46",
  truncated: "#d97706",
  effective: "#0369a1",
  curve: "#64748b",
  fitted: "#0369a1",
  threshold: "#b91c1c",
};

/** The recall threshold of the run the chart measures against (a share 0..1). */
export interface ChartThreshold {
  runId: number;
  threshold: number;
}

/**
 * Filled-context checks: share of needles recalled (0–100 %) against the prompt tokens they filled (the unit of
 * the effective limit), with the recall curve the newest run's limit was read off (else the mean at each
 * size), the run's recall threshold as a line, and each point's recall relative to the model's own
 * short-context score.
 */
export function RecallChart({
  probes,
  effectiveLimit,
  threshold,
  effectiveRun,
}: {
  probes: readonly RecallProbe[];
  effectiveLimit: number | null;
  threshold: ChartThreshold | null;
  /** The run the threshold is from: its limit is drawn with the curve it was read off, where it was. */
  effectiveRun: EffectiveRun | undefined;
}) {
  // The fit takes milliseconds: once per data, not on every render of the page.
  const fitted = useMemo(() => fittedRecall(probes, effectiveRun), [probes, effectiveRun]);
  const points = recallPoints(probes);
  if (points.length === 0) return null;
  const curve = meanRecallBySize(points);
  const promptTokensOf = promptTokensBySize(points);
  const meanLine = curve.map((size) => ({ ...size, promptTokens: promptTokensOf.get(size.context) }));
  // Scores are read against the threshold run's own short-context score: other runs may have asked another
  // threshold, or run under another LM Studio.
  const own = threshold
    ? points.filter((point) => point.runId === threshold.runId && !point.isTruncated)
    : [];
  const short = shortContextScore(own.length > 0 ? meanRecallBySize(own) : curve);
  const shortRun = own.length > 0 ? ` (run #${threshold!.runId})` : "";
  const relative = (recall: number) => (short ? relativeToShort(recall, short) : null);
  const recalled = points
    .filter((point) => !point.isTruncated)
    .map((point) => ({ ...point, relative: relative(point.recall), short }));
  const truncated = points
    .filter((point) => point.isTruncated)
    .map((point) => ({ ...point, relative: null, short }));
  const maxContext = Math.max(...points.map((point) => point.context));
  const maxPrompt = Math.max(...points.map((point) => point.promptTokens));
  const summary = `${points.length} filled-context checks from ${formatCount(points[0]?.context)} to ${formatCount(
    maxContext,
  )} tokens; ${points.filter((point) => point.recall >= 100).length} recalled every needle${
    truncated.length > 0 ? `; ${truncated.length} truncated by LM Studio` : ""
  }. Effective limit ${formatCount(effectiveLimit)}${
    threshold
      ? `, at a recall threshold of ${formatRecall(threshold.threshold)} (run #${threshold.runId})`
      : ""
  }.${short ? ` Short-context score ${short.recall}% at ${formatCount(short.context)} tokens${shortRun}.` : ""}${
    fitted ? ` ${fittedText(fitted)}.` : ""
  }`;
  return (
    <ChartFrame
      testId="recall-chart"
      summary={summary}
      height={240}
      after={
        threshold || short || fitted ? (
          <p className="mt-1 text-xs text-slate-500">
            {threshold ? (
              <span data-testid="recall-threshold">
                Threshold {formatRecall(threshold.threshold)} recall (run #{threshold.runId})
              </span>
            ) : null}
            {threshold && short ? " · " : null}
            {short ? (
              <span data-testid="short-context-score">
                Short-context score {short.recall}% at {formatCount(short.context)} tokens{shortRun}
              </span>
            ) : null}
            {fitted ? (
              <span data-testid="fitted-curve" className="block">
                {fittedText(fitted)}
              </span>
            ) : null}
          </p>
        ) : undefined
      }
    >
      {/* Prompt tokens, as the effective limit counts them; the window is in each point's tooltip. A limit that
          credits the whole window (a pass at the loadable limit) lies past every prompt: the axis reaches it. */}
      <XAxis
        {...contextAxisProps(Math.max(maxPrompt, effectiveLimit ?? 0))}
        dataKey="promptTokens"
        name="Prompt tokens"
      />
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
      {threshold ? (
        <ReferenceLine
          y={threshold.threshold * 100}
          stroke={COLORS.threshold}
          strokeDasharray="4 3"
          label={{
            value: `threshold ${formatRecall(threshold.threshold)}`,
            position: "insideBottomRight",
            fontSize: 11,
            fill: COLORS.threshold,
          }}
        />
      ) : null}
      <Tooltip content={RecallTooltip} cursor={{ strokeDasharray: "3 3" }} />
      {fitted ? (
        <Scatter
          name="Fitted recall curve"
          data={fitted.points}
          line={{ stroke: COLORS.fitted, strokeWidth: 2 }}
          shape={() => <g />}
          legendType="none"
          tooltipType="none"
          isAnimationActive={false}
          className="fitted-recall-curve"
        />
      ) : (
        <Scatter
          name="Mean recall"
          data={meanLine}
          line={{ stroke: COLORS.curve, strokeWidth: 1.5 }}
          shape={() => <g />}
          legendType="none"
          tooltipType="none"
          isAnimationActive={false}
        />
      )}
      <Scatter name="Recall" data={recalled} fill={COLORS.recall} isAnimationActive={false} />
      {truncated.length > 0 ? (
        <Scatter name="Truncated" data={truncated} fill={COLORS.truncated} isAnimationActive={false} />
      ) : null}
    </ChartFrame>
  );
}

/**
 * "Recall curve fitted through run #4's checks: 90.1% at 3,388 prompt tokens, 85.6% at 19,768, 74.2% at 28,100":
 * the curve where it starts, crosses the threshold and ends. Its asymptote (the plateau) is left out: with a wide
 * fall it lies well above anything measured, and beside the short-context score it read as a second such score.
 */
function fittedText({ runId, fit, threshold }: FittedRecall): string {
  const at = (promptTokens: number) =>
    `${formatRecall(recallAt(promptTokens, fit, threshold))} at ${formatCount(promptTokens)}`;
  return `Recall curve fitted through run #${runId}'s checks: ${at(fit.measured.low)} prompt tokens, ${formatRecall(
    threshold,
  )} at ${formatCount(fit.limit)}, ${at(fit.measured.high)}`;
}

interface TooltipPoint {
  context: number;
  promptTokens: number;
  recall: number;
  runId?: number;
  isTruncated?: boolean;
  relative?: number | null;
  short?: MeanRecallPoint | null;
}

function RecallTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const point = active ? (payload?.[0]?.payload as TooltipPoint | undefined) : undefined;
  // The mean curve's points carry no run: only the checks themselves have a tooltip.
  if (!point || point.runId === undefined) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow">
      <p className="font-semibold">Filled check in run #{point.runId}</p>
      <p>
        {formatCount(point.promptTokens)} prompt tokens in a {formatCount(point.context)}-token window:{" "}
        {point.recall}% recalled
      </p>
      {point.relative != null && point.short ? (
        <p data-testid="recall-relative">
          {point.relative}% of its short-context score ({point.short.recall}% at{" "}
          {formatCount(point.short.context)} tokens)
        </p>
      ) : null}
      {point.isTruncated ? (
        <p className="text-amber-700">LM Studio processed fewer tokens than sent</p>
      ) : null}
    </div>
  );
}
