import { formatCount } from "~/lib/format";
import { formatContextTick } from "./axis-ticks";
/** The needle-in-a-haystack map of a model: window size × needle depth → share of needles recalled. */

/** One needle of a filled check, as the probe stored it. */
export interface NeedleOutcome {
  /** 0 = start of the haystack, 1 = end. */
  depth: number;
  recalled: boolean;
  isCanary: boolean;
}

/** The probe fields the map needs (a `model.get` probe). */
export interface RecallMapProbe {
  id: number;
  kind: string;
  contextRequested: number;
  contextApplied: number | null;
  needles: readonly NeedleOutcome[] | null;
}

/** Depth bins of 10 % each: 0–10 %, …, 90–100 % (a needle at the very end falls in the last). */
export const DEPTH_BINS = 10;

export interface DepthBin {
  index: number;
  /** "40–50%". */
  label: string;
}

export interface RecallMapCell {
  context: number;
  bin: number;
  recalled: number;
  total: number;
  /** Probes at this size with a needle in this bin (several probes of one size pool). */
  probes: number;
  /** Share recalled, 0..1; null when no needle sat in this bin at this size. */
  share: number | null;
}

export interface RecallMap {
  /** Every window size probed with needles, smallest first: the columns. */
  sizes: number[];
  /** Depth bins, head of the prompt first: the rows. */
  bins: DepthBin[];
  /** `cells[bin][column]`. */
  cells: RecallMapCell[][];
  probeCount: number;
  needleCount: number;
}

export function depthBinOf(depth: number): number {
  // The small offset keeps 0.3 (0.3 × 10 = 2.9999…) in the 30–40 % bin, where it is meant to be.
  return Math.min(DEPTH_BINS - 1, Math.max(0, Math.floor(depth * DEPTH_BINS + 1e-9)));
}

const binLabel = (index: number) => `${(index * 100) / DEPTH_BINS}–${((index + 1) * 100) / DEPTH_BINS}%`;

/** The map of the filled checks that kept their needles; null when none did (older probes, no filled check). */
export function recallMap(probes: readonly RecallMapProbe[]): RecallMap | null {
  const withNeedles = probes.filter(
    (probe) => probe.kind === "effective" && probe.needles !== null && probe.needles.length > 0,
  );
  if (withNeedles.length === 0) return null;
  const sizeOf = (probe: RecallMapProbe) => probe.contextApplied ?? probe.contextRequested;
  const sizes = [...new Set(withNeedles.map(sizeOf))].sort((a, b) => a - b);
  const column = new Map(sizes.map((size, index) => [size, index]));
  const cells = Array.from({ length: DEPTH_BINS }, (_, bin) =>
    sizes.map((context): RecallMapCell => ({ context, bin, recalled: 0, total: 0, probes: 0, share: null })),
  );
  let needleCount = 0;
  for (const probe of withNeedles) {
    const index = column.get(sizeOf(probe))!;
    const touched = new Set<number>();
    for (const needle of probe.needles!) {
      const cell = cells[depthBinOf(needle.depth)]![index]!;
      cell.total += 1;
      if (needle.recalled) cell.recalled += 1;
      touched.add(cell.bin);
      needleCount += 1;
    }
    for (const bin of touched) cells[bin]![index]!.probes += 1;
  }
  for (const row of cells)
    for (const cell of row) cell.share = cell.total > 0 ? cell.recalled / cell.total : null;
  const bins = Array.from({ length: DEPTH_BINS }, (_, index) => ({ index, label: binLabel(index) }));
  return { sizes, bins, cells, probeCount: withNeedles.length, needleCount };
}

/** A cell's colour: red (nothing recalled) through amber to green (everything recalled). */
export function shareColor(share: number): string {
  const hue = Math.round(share * 140);
  return `hsl(${hue} 70% ${share > 0.5 ? 32 : 40}%)`;
}

/**
 * A column's size as its header shows it: "16K" for a whole number of K (the grid's powers of two), else the
 * count itself ("22,784", as the probe table has it): "22.25K" is no size anyone reads back.
 */
export function recallMapSizeLabel(size: number): string {
  return size % 1_024 === 0 ? formatContextTick(size) : formatCount(size);
}
