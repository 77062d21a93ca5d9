import Link from "next/link";
import { StatusBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
import { formatCount, formatPercent } from "~/lib/format";
import { displayedModelStatus, type RunProgress } from "../_lib/run-progress";

const COLUMNS: Column[] = [
  { label: "Model" },
  { label: "Status" },
  { label: "Loadable limit", align: "right" },
  { label: "Declared", align: "right" },
  { label: "Efficiency", align: "right" },
  { label: "Probes", align: "right" },
];

/** Only runs with the effective check have an effective limit to show. */
const EFFECTIVE_COLUMN: Column = { label: "Effective", align: "right" };

/**
 * lmstrix's final table, filled in as models finish: model, status, loadable limit, declared, efficiency; and
 * the effective limit when the run measures it (`hasEffective`: the run's option, so the column is there from
 * the start).
 */
export function ModelResults({
  progress,
  runStatus,
  modelIds,
  hasEffective,
}: {
  progress: RunProgress;
  runStatus: string;
  modelIds: ReadonlyMap<string, number>;
  hasEffective: boolean;
}) {
  if (progress.models.length === 0) {
    return <p className="text-sm text-slate-500">No model has started yet.</p>;
  }
  const columns = hasEffective ? [...COLUMNS.slice(0, 3), EFFECTIVE_COLUMN, ...COLUMNS.slice(3)] : COLUMNS;
  return (
    <CardTable caption="Results per model" columns={columns}>
      {progress.models.map((model) => {
        const status = displayedModelStatus(model, runStatus);
        const modelId = modelIds.get(model.modelKey);
        return (
          <tr key={model.modelKey} data-testid="model-result">
            <td className={`${CELL} font-mono text-xs`}>
              {modelId ? (
                <Link href={`/models/${modelId}`} className="font-medium text-sky-800 hover:underline">
                  {model.modelKey}
                </Link>
              ) : (
                model.modelKey
              )}
              {/* How it ended, as the CLI prints it: "found between …", or what LM Studio did instead. */}
              {model.reason ? <div className="font-sans text-xs text-slate-500">{model.reason}</div> : null}
              {/* And how the effective limit was read: the range, what was measured, the budget spent. */}
              {model.effective?.reason ? (
                <div className="font-sans text-xs text-slate-500" data-testid="effective-reason">
                  Effective: {model.effective.reason}
                </div>
              ) : null}
            </td>
            <td className={CELL}>
              <StatusBadge status={status} />
            </td>
            <td className={`${NUMBER_CELL} font-semibold`}>{formatCount(model.limit)}</td>
            {hasEffective ? (
              <td
                className={NUMBER_CELL}
                data-testid="effective-result"
                title={model.effective?.reason ?? undefined}
              >
                {model.effective ? formatCount(model.effective.limit) : "-"}
              </td>
            ) : null}
            <td className={NUMBER_CELL}>{formatCount(model.declared)}</td>
            <td className={NUMBER_CELL}>{formatPercent(model.limit, model.declared)}</td>
            <td className={NUMBER_CELL}>
              <span className="text-emerald-700">{model.passed} ✓</span>{" "}
              <span className="text-red-700">{model.failed} ✗</span>
            </td>
          </tr>
        );
      })}
    </CardTable>
  );
}
