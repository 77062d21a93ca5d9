import { formatCount } from "~/lib/format";
import {
  type RecallMapCell,
  type RecallMapProbe,
  recallMap,
  recallMapSizeLabel,
  shareColor,
} from "../_lib/recall-map";

const percentOf = (share: number) => `${Math.round(share * 100)}%`;

function cellTitle(cell: RecallMapCell, binLabel: string): string {
  const where = `${formatCount(cell.context)} tokens, depth ${binLabel}`;
  if (cell.share === null) return `${where}: no needle`;
  const probes = cell.probes === 1 ? "1 probe" : `${cell.probes} probes`;
  return `${where}: ${cell.recalled} of ${cell.total} needles recalled (${percentOf(cell.share)}) in ${probes}`;
}

/**
 * Needle in a haystack: each filled window size probed (columns) against where the needle sat in the prompt
 * (rows, head first), coloured by the share of needles recalled there. A table, so that a screen reader reads
 * every cell with its size and depth.
 */
export function RecallMap({ probes }: { probes: readonly RecallMapProbe[] }) {
  const map = recallMap(probes);
  if (!map) return null;
  const worst = map.cells
    .flat()
    .filter((cell) => cell.share !== null)
    .reduce<RecallMapCell | null>(
      (low, cell) => (low === null || cell.share! < low.share! ? cell : low),
      null,
    );
  const summary = `Recall by window size and needle depth: ${map.needleCount} needles in ${map.probeCount} filled checks at ${
    map.sizes.length
  } sizes, from ${formatCount(map.sizes[0])} to ${formatCount(map.sizes.at(-1))} tokens${
    worst
      ? `; lowest ${percentOf(worst.share!)} at ${formatCount(worst.context)} tokens, depth ${map.bins[worst.bin]!.label}`
      : ""
  }.`;
  return (
    <figure data-testid="recall-map" className="m-0">
      {/* Positioned, so that it also holds the caption (screen-reader-only, absolutely placed): see CardTable. */}
      <div className="relative overflow-x-auto">
        <table className="border-separate border-spacing-0.5 text-[11px]">
          <caption className="sr-only">{summary}</caption>
          <thead>
            <tr>
              <th scope="col" className="px-1 text-left font-medium text-slate-500">
                Depth
              </th>
              {map.sizes.map((size) => (
                <th
                  key={size}
                  scope="col"
                  title={`${formatCount(size)} tokens`}
                  data-testid="recall-map-size"
                  className="min-w-9 px-0.5 text-center font-medium text-slate-600"
                >
                  {recallMapSizeLabel(size)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {map.bins.map((bin) => (
              <tr key={bin.index}>
                <th scope="row" className="whitespace-nowrap px-1 text-left font-normal text-slate-500">
                  {bin.label}
                </th>
                {map.cells[bin.index]!.map((cell) => (
                  <td
                    key={cell.context}
                    title={cellTitle(cell, bin.label)}
                    data-testid="recall-map-cell"
                    data-context={cell.context}
                    data-depth-bin={cell.bin}
                    data-recalled={cell.recalled}
                    data-total={cell.total}
                    className={
                      cell.share === null
                        ? "h-6 rounded-sm bg-slate-100 text-center text-slate-400"
                        : "h-6 rounded-sm text-center font-medium text-white"
                    }
                    style={cell.share === null ? undefined : { backgroundColor: shareColor(cell.share) }}
                  >
                    {cell.share === null ? <span className="sr-only">no needle</span> : percentOf(cell.share)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <span>Needles recalled:</span>
        <span aria-hidden="true" className="inline-flex overflow-hidden rounded-sm">
          {[0, 0.25, 0.5, 0.75, 1].map((share) => (
            <span key={share} className="h-3 w-6" style={{ backgroundColor: shareColor(share) }} />
          ))}
        </span>
        <span>0% → 100%; grey: no needle at that depth. Several checks at one size are pooled.</span>
      </figcaption>
    </figure>
  );
}
