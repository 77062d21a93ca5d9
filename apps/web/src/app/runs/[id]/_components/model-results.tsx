import Link from "next/link";
import { StatusBadge } from "~/components/status-badge";
import { formatCount, formatPercent } from "~/lib/format";
import { displayedModelStatus, type RunProgress } from "../_lib/run-progress";

const CELL = "px-3 py-2";
const NUMBER_CELL = `${CELL} text-right tabular-nums whitespace-nowrap`;

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
    <div className="-mx-4 overflow-x-auto">
      <table className="min-w-full text-sm" aria-label="Results per model">
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className={CELL}>
              Model
            </th>
            <th scope="col" className={CELL}>
              Status
            </th>
            <th scope="col" className={`${CELL} text-right`}>
              Limit
            </th>
            <th scope="col" className={`${CELL} text-right`}>
              Declared
            </th>
            <th scope="col" className={`${CELL} text-right`}>
              Efficiency
            </th>
            <th scope="col" className={`${CELL} text-right`}>
              Probes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
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
                  {status === "stopped" ? (
                    <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
                      Stopped
                    </span>
                  ) : (
                    <StatusBadge status={status} />
                  )}
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
        </tbody>
      </table>
    </div>
  );
}
