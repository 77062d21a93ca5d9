import { type ComparedModelFigures, type ComparisonModel, comparedModelFigures } from "@lmstrix/core";
import Link from "next/link";
import type { ReactNode } from "react";
import { StatusBadge } from "~/components/status-badge";
import { CELL, NUMBER_CELL } from "~/components/table";
import { formatCount, formatDateTime, formatShare, formatTokensPerSecond } from "~/lib/format";
import type { SpeedThresholds } from "../../models/[id]/_lib/speed";
import { modelColor } from "../_lib/compare-series";

/** What the limits table reads of a `model.compare` model: core works out its column's figures. */
export type ComparedModelColumn = ComparisonModel;

interface FigureRow {
  key: string;
  label: string;
  isNumber?: boolean;
  cell: (model: ComparedModelFigures) => ReactNode;
}

const ROWS: FigureRow[] = [
  { key: "host", label: "Host", cell: (model) => model.host.name },
  { key: "quantization", label: "Quantisation", cell: (model) => model.quantization ?? "-" },
  { key: "status", label: "Status", cell: (model) => <StatusBadge status={model.testStatus} /> },
  {
    key: "declared",
    label: "Declared",
    isNumber: true,
    cell: (model) => formatCount(model.declaredContext),
  },
  {
    key: "loadable",
    label: "Loadable limit",
    isNumber: true,
    cell: (model) => (
      <Figure
        value={formatCount(model.loadableLimit)}
        note={
          model.loadableShareOfDeclared === null
            ? undefined
            : `${formatShare(model.loadableShareOfDeclared)} of declared`
        }
      />
    ),
  },
  {
    key: "effective",
    label: "Effective limit",
    isNumber: true,
    cell: (model) => (
      <Figure value={formatCount(model.effectiveLimit)} note={model.effectiveMissing ?? undefined} />
    ),
  },
  {
    key: "comfortable",
    label: "Comfortable limit",
    isNumber: true,
    cell: ({ comfortable: result }) =>
      result.context === null ? (
        <Figure value="-" note={result.reason} />
      ) : (
        <Figure
          value={formatCount(result.context)}
          note={`${formatTokensPerSecond(result.point.genTokensPerSec)} there`}
        />
      ),
  },
  {
    key: "speed",
    label: "Generation at the limit",
    isNumber: true,
    cell: ({ generationAtLimit: point }) =>
      point === null ? (
        <Figure value="-" note="no speed measured within the limit" />
      ) : (
        <Figure
          value={formatTokensPerSecond(point.genTokensPerSec)}
          note={`at ${formatCount(point.context)} tokens (${point.kind === "filled" ? "filled window" : "short check"})`}
        />
      ),
  },
  { key: "tested", label: "Last tested", cell: (model) => formatDateTime(model.lastTestedAt) },
];

function Figure({ value, note }: { value: string; note?: string }) {
  return (
    <>
      <span className="font-semibold">{value}</span>
      {note ? (
        <span className="block text-xs font-normal whitespace-normal text-slate-500">{note}</span>
      ) : null}
    </>
  );
}

/**
 * The models' limits side by side: a column per model (in its chart colour), a row per figure. The figures are
 * core's `comparedModelFigures` (as `lmstrix compare` prints them), the comfortable limit under the thresholds
 * set on the Model page (kept in this browser).
 */
export function CompareLimits({
  models,
  thresholds,
}: {
  models: readonly ComparedModelColumn[];
  thresholds: SpeedThresholds;
}) {
  const columns = models.map((model) => comparedModelFigures(model, thresholds));
  return (
    <div className="relative -mx-4 overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="compare-limits">
        <caption className="sr-only">Context limits of the compared models</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs text-slate-600">
          <tr>
            <td className={CELL} />
            {columns.map((model, index) => (
              <th key={model.id} scope="col" className={`${CELL} align-bottom font-semibold`}>
                <span className="flex items-center gap-1.5">
                  <span
                    aria-hidden="true"
                    className="inline-block size-2.5 shrink-0 rounded-sm"
                    style={{ backgroundColor: modelColor(index) }}
                  />
                  <Link href={`/models/${model.id}`} className="text-sm text-sky-800 hover:underline">
                    {model.displayName}
                  </Link>
                </span>
                <span className="block font-mono font-normal break-all">{model.modelKey}</span>
                {model.isPresent ? null : (
                  <span className="block font-normal text-slate-500">
                    Gone from its host, kept for its history
                  </span>
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {ROWS.map((row) => (
            <tr key={row.key} data-testid={`compare-row-${row.key}`}>
              <th
                scope="row"
                className={`${CELL} text-left text-xs font-medium whitespace-nowrap text-slate-600`}
              >
                {row.label}
              </th>
              {columns.map((model) => (
                <td
                  key={model.id}
                  className={row.isNumber ? `${NUMBER_CELL} align-top` : `${CELL} align-top`}
                >
                  {row.cell(model)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
