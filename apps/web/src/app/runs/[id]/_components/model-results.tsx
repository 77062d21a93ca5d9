import Link from "next/link";
import { StatusBadge } from "~/components/status-badge";
import { CardTable, CELL, type Column, NUMBER_CELL } from "~/components/table";
import { formatCount, formatPercent } from "~/lib/format";
import { displayedModelStatus, type RunProgress } from "../_lib/run-progress";

const COLUMNS: Column[] = [
  { label: "Model" },
  { label: "Status" },
  { label: "Limit", align: "right" },
  { label: "Declared", align: "right" },
  { label: "Efficiency", align: "right" },
  { label: "Probes", align: "right" },
];

/** lmstrix's final table, filled in as models finish: model, status, limit, declared, efficiency. */
export function ModelResults({
  progress,
  runStatus,
  modelIds,
}: {
  progress: RunProgress;
  runStatus: string;
  modelIds: ReadonlyMap<string, number>;
}) {
  if (progress.models.length === 0) {
    return <p className="text-sm text-slate-500">No model has started yet.</p>;
  }
  return (
    <CardTable caption="Results per model" columns={COLUMNS}>
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
              {model.reason && status !== "completed" ? (
                <div className="font-sans text-xs text-slate-500">{model.reason}</div>
              ) : null}
            </td>
            <td className={CELL}>
              <StatusBadge status={status} />
            </td>
            <td className={`${NUMBER_CELL} font-semibold`}>{formatCount(model.limit)}</td>
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
