import { type Matrix, type MatrixCell, noEffectiveLimitReason, SHARE_BANDS, shareBand } from "@lmstrix/core";
import Link from "next/link";
import { CELL } from "~/components/table";
import { formatCount, formatShare, formatTokensPerSecond } from "~/lib/format";

/** A cell's background by its share of the declared context (`SHARE_BANDS`, lowest first). */
const BAND_CLASSES = [
  "bg-red-100",
  "bg-amber-100",
  "bg-sky-100",
  "bg-emerald-100",
  "bg-emerald-200",
] as const;

export function ShareLegend() {
  return (
    <ul aria-label="Legend" className="flex flex-wrap items-center gap-3 text-xs text-slate-700">
      <li className="font-medium">
        Share of the declared context usable (the effective limit where measured, else the loadable):
      </li>
      {SHARE_BANDS.map((band, index) => (
        <li key={band.label} className="flex items-center gap-1">
          <span className={`inline-block size-3 rounded-sm ${BAND_CLASSES[index]}`} aria-hidden />
          {band.label}
        </li>
      ))}
      <li className="flex items-center gap-1">
        <span className="inline-block size-3 rounded-sm border border-dashed border-slate-400" aria-hidden />
        untested
      </li>
      <li>⚠ stale: measured under another LM Studio version or model file</li>
    </ul>
  );
}

function cellTitle(cell: MatrixCell, hostName: string): string {
  const lines = [`${cell.modelKey} on ${hostName}`];
  if (cell.untested) lines.push(cell.testStatus === "failed" ? "Test failed; no limit measured" : "Untested");
  else if (cell.noEffectiveLimitAt !== null) {
    lines.push(
      `No effective limit: ${noEffectiveLimitReason(cell.noEffectiveLimitAt)}; it serves no request`,
    );
  } else {
    lines.push(
      `${formatShare(cell.share)} of the declared ${formatCount(cell.declaredContext)} tokens (the ${cell.shareOf} limit)`,
    );
  }
  if (cell.speedContext !== null)
    lines.push(`Generation measured at ${formatCount(cell.speedContext)} tokens`);
  if (cell.stale.length > 0) lines.push(`Stale: ${cell.stale.join("; ")}`);
  return lines.join("\n");
}

function Cell({ cell, hostName }: { cell: MatrixCell | null; hostName: string }) {
  if (cell === null) {
    return (
      <td className={`${CELL} text-center text-slate-400`}>
        <span aria-hidden>·</span>
        <span className="sr-only">not on this host</span>
      </td>
    );
  }
  const isStale = cell.stale.length > 0;
  const tone =
    cell.share === null ? "border border-dashed border-slate-300" : BAND_CLASSES[shareBand(cell.share)];
  return (
    <td className="p-1">
      <Link
        href={`/models/${cell.modelId}`}
        aria-label={`${cell.modelKey} on ${hostName}`}
        title={cellTitle(cell, hostName)}
        data-state={cell.untested ? "untested" : isStale ? "stale" : "measured"}
        className={`block min-w-32 rounded px-2 py-1 text-xs tabular-nums hover:ring-2 hover:ring-sky-600 ${tone}`}
      >
        {cell.untested ? (
          <span className="text-slate-500">{cell.testStatus === "failed" ? "failed" : "untested"}</span>
        ) : (
          <>
            <span className="block whitespace-nowrap">
              <abbr title="loadable limit">L</abbr> {formatCount(cell.loadableLimit)}
              {" · "}
              <abbr title="effective limit">E</abbr>{" "}
              {cell.noEffectiveLimitAt === null ? formatCount(cell.effectiveLimit) : "none found"}
            </span>
            <span className="block whitespace-nowrap text-slate-600">
              {formatTokensPerSecond(cell.genTokensPerSec)}
            </span>
          </>
        )}
        {isStale ? <span className="block font-medium text-amber-800">⚠ stale</span> : null}
      </Link>
    </td>
  );
}

/** Base models (a group of rows, one per quantisation) × hosts. */
export function MatrixTable({ matrix }: { matrix: Matrix }) {
  return (
    <div className="relative -mx-4 overflow-x-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">
          Models by host: loadable and effective limits and generation speed
        </caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className={`${CELL} font-semibold`}>
              Base model
            </th>
            <th scope="col" className={`${CELL} font-semibold`}>
              Quantisation
            </th>
            {matrix.hosts.map((host) => (
              <th key={host.id} scope="col" className={`${CELL} font-semibold normal-case`}>
                {host.name}
                {host.lmStudioVersion ? (
                  <span className="block font-normal text-slate-500">LM Studio {host.lmStudioVersion}</span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        {matrix.groups.map((group) => (
          <tbody key={group.base} className="border-b border-slate-200">
            {group.rows.map((row, index) => (
              <tr key={`${row.variant}:${row.label}`}>
                {index === 0 ? (
                  <th scope="rowgroup" rowSpan={group.rows.length} className={`${CELL} text-left align-top`}>
                    <span className="font-mono text-xs font-medium">{group.base}</span>
                    <span className="block text-xs font-normal text-slate-500">{row.type}</span>
                  </th>
                ) : null}
                <td className={`${CELL} font-mono text-xs`}>{row.variant || "-"}</td>
                {row.cells.map((cell, column) => (
                  <Cell
                    key={matrix.hosts[column]?.id}
                    cell={cell}
                    hostName={matrix.hosts[column]?.name ?? ""}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
