import Link from "next/link";
import { formatCount, formatRecall } from "~/lib/format";
import {
  atNewestThreshold,
  type EffectiveRun,
  effectiveSpread,
  formatEffectiveRange,
  stripDomain,
} from "../_lib/effective-runs";

/**
 * Every run's effective limit of the model, oldest first: a measurement over noisy recall lands a little
 * apart each time, and the spread of repeated runs says how far to trust one. A strip (each run a mark, its
 * range a bar) over a table of the runs with their limits, ranges and thresholds.
 */
export function EffectiveRuns({ runs }: { runs: readonly EffectiveRun[] }) {
  if (runs.length === 0) return null;
  const compared = atNewestThreshold(runs);
  const spread = effectiveSpread(compared);
  const domain = stripDomain(runs);
  const at = ([from, to]: [number, number], value: number) => `${((value - from) / (to - from)) * 100}%`;
  const runsText =
    (runs.length === 1 ? "1 run" : `${runs.length} runs`) +
    (compared.length < runs.length
      ? `; ${compared.length === 1 ? "the 1" : `the ${compared.length}`} at the newest threshold, ${formatRecall(compared[0]!.recallThreshold)} recall`
      : "");
  let summary: string;
  if (spread.found === 0) summary = `${runsText}, none found an effective limit.`;
  else if (spread.min === spread.max)
    summary = `${runsText}: effective limit ${formatCount(spread.min)}${spread.found > 1 ? " in each" : ""}.`;
  else
    summary = `${runsText}: effective limit from ${formatCount(spread.min)} to ${formatCount(spread.max)} tokens (${formatRecall(
      spread.spread ?? 0,
    )} apart).`;
  return (
    <div data-testid="effective-runs" className="relative">
      <p data-testid="effective-spread" className="text-sm text-slate-700">
        {summary}
      </p>
      {domain ? (
        <div aria-hidden="true" className="mt-3 mb-1">
          <div className="relative h-6 rounded bg-slate-100">
            {runs.map((run) =>
              run.effectiveRange ? (
                <span
                  key={`range-${run.runId}`}
                  className="absolute top-2.5 h-1 rounded bg-sky-300"
                  style={{
                    left: at(domain, run.effectiveRange.low),
                    width: at([0, domain[1] - domain[0]], run.effectiveRange.high - run.effectiveRange.low),
                  }}
                />
              ) : null,
            )}
            {runs.map((run) =>
              run.effectiveLimit === null ? null : (
                <span
                  key={run.runId}
                  title={`Run #${run.runId}: ${formatCount(run.effectiveLimit)}`}
                  className="absolute top-1 h-4 w-0.5 -translate-x-1/2 bg-sky-800"
                  style={{ left: at(domain, run.effectiveLimit) }}
                />
              ),
            )}
          </div>
          <div className="flex justify-between text-[11px] text-slate-400">
            <span>{formatCount(Math.round(domain[0]))}</span>
            <span>{formatCount(Math.round(domain[1]))}</span>
          </div>
        </div>
      ) : null}
      <table className="mt-1 w-full text-sm">
        <caption className="sr-only">Effective limit of each run, oldest first</caption>
        <thead className="text-left text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-1 font-medium">
              Run
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Limit
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Between
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Threshold
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {runs.map((run) => (
            <tr key={run.runId} data-testid="effective-run">
              <td className="py-1.5">
                <Link href={`/runs/${run.runId}`} className="font-medium text-sky-800 hover:underline">
                  Run #{run.runId}
                </Link>
              </td>
              <td data-testid="effective-run-limit" className="py-1.5 text-right font-mono tabular-nums">
                {run.effectiveLimit !== null
                  ? formatCount(run.effectiveLimit)
                  : run.noneFound === false
                    ? "no result"
                    : "none found"}
              </td>
              <td className="py-1.5 text-right text-xs whitespace-nowrap text-slate-500">
                {run.effectiveRange ? (
                  <span data-testid="effective-run-range">{formatEffectiveRange(run.effectiveRange)}</span>
                ) : (
                  "-"
                )}
              </td>
              <td className="py-1.5 text-right text-xs text-slate-500">
                {formatRecall(run.recallThreshold)} recall
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
