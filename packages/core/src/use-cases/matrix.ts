import { baseModelKey, modelVariant } from "../domain/base-model";
import { noEffectiveLimitFound } from "../domain/model";
import {
  type FleetHost,
  type FleetModel,
  type MeasuredFleet,
  type MeasuredSpeed,
  servedLimit,
  speedAtLimit,
  speedsByModel,
  staleDescriptions,
} from "./measured-fleet";

/**
 * The matrix: models (rows, grouped by base model across quantisations) × hosts (columns). Each cell is one
 * model on one host with its limits and generation speed, for `/matrix` and `lmstrix matrix`.
 */
export interface Matrix {
  /** The columns, by name. */
  hosts: FleetHost[];
  /** By base key. */
  groups: MatrixGroup[];
}

export interface MatrixGroup {
  /** `baseModelKey` of its models. */
  base: string;
  /** One per quantisation (by variant), each with one cell per host. */
  rows: MatrixRow[];
}

export interface MatrixRow {
  /** "q8_0", "" when unknown. */
  variant: string;
  /** The model key of its first model (they may differ by publisher prefix between hosts). */
  label: string;
  type: string;
  /** In the order of `Matrix.hosts`; null: the host does not have this model. */
  cells: (MatrixCell | null)[];
}

export interface MatrixCell {
  modelId: number;
  modelKey: string;
  testStatus: string;
  declaredContext: number;
  loadableLimit: number | null;
  effectiveLimit: number | null;
  /** Generation tokens/s of the probe at (or just below) the cell's limit; null when none measured it. */
  genTokensPerSec: number | null;
  /** The window that probe ran in. */
  speedContext: number | null;
  /** `servedLimit` (effective where measured, else loadable) ÷ declared context, 0..1; null untested. */
  share: number | null;
  /** Which limit `share` is of; null untested. */
  shareOf: "effective" | "loadable" | null;
  /** No limit measured yet. */
  untested: boolean;
  /** The effective search found no limit (no size recalled this share of its needles); null: it found one, or none ran. */
  noEffectiveLimitAt: number | null;
  /** Why the result no longer speaks for the host ("LM Studio 0.3.20 → 0.4.21"); empty when it holds. */
  stale: string[];
}

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function cellOf(
  model: FleetModel,
  host: FleetHost | undefined,
  speeds: ReadonlyMap<number, MeasuredSpeed[]>,
): MatrixCell {
  const limit = servedLimit(model);
  const noneFound = noEffectiveLimitFound(model);
  const speed = speedAtLimit(speeds.get(model.id) ?? [], limit);
  return {
    modelId: model.id,
    modelKey: model.modelKey,
    testStatus: model.testStatus,
    declaredContext: model.declaredContext,
    loadableLimit: model.loadableLimit,
    effectiveLimit: model.effectiveLimit,
    genTokensPerSec: speed?.genTokensPerSec ?? null,
    speedContext: speed?.context ?? null,
    share: limit === null || model.declaredContext <= 0 ? null : Math.min(1, limit / model.declaredContext),
    shareOf: limit === null ? null : limit === model.effectiveLimit ? "effective" : "loadable",
    untested: limit === null && !noneFound,
    noEffectiveLimitAt: noneFound ? model.effectiveThreshold : null,
    stale: staleDescriptions(model, host),
  };
}

/**
 * Builds the matrix from the fleet. Hosts are columns by name; groups by base key, rows by variant. Two models
 * of one host in one row (two publishers' uploads of the same quantisation) get a row each, labelled by key.
 */
export function buildMatrix(fleet: MeasuredFleet): Matrix {
  const hosts = [...fleet.hosts].sort((a, b) => binary(a.name, b.name));
  const column = new Map(hosts.map((host, index) => [host.id, index]));
  const speeds = speedsByModel(fleet.speeds);
  const groups = new Map<string, Map<string, MatrixRow>>();
  const models = [...fleet.models].sort((a, b) => binary(a.modelKey, b.modelKey) || a.id - b.id);
  for (const model of models) {
    const index = column.get(model.hostId);
    if (index === undefined) continue;
    const base = baseModelKey(model.modelKey);
    const variant = modelVariant(model.modelKey, model.quantization);
    let rows = groups.get(base);
    if (!rows) {
      rows = new Map();
      groups.set(base, rows);
    }
    let rowKey = variant;
    let row = rows.get(rowKey);
    if (row?.cells[index]) {
      rowKey = `${variant}\u0000${model.modelKey}`;
      row = rows.get(rowKey);
    }
    if (!row) {
      row = { variant, label: model.modelKey, type: model.type, cells: hosts.map(() => null) };
      rows.set(rowKey, row);
    }
    row.cells[index] = cellOf(model, hosts[index], speeds);
  }
  return {
    hosts,
    groups: [...groups.entries()]
      .sort(([a], [b]) => binary(a, b))
      .map(([base, rows]) => ({
        base,
        rows: [...rows.values()].sort((a, b) => binary(a.variant, b.variant) || binary(a.label, b.label)),
      })),
  };
}

/** The share bands the dashboard colours cells by (and its legend lists), from the lowest up. */
export const SHARE_BANDS = [
  { min: 0, label: "under 25 %" },
  { min: 0.25, label: "25–50 %" },
  { min: 0.5, label: "50–75 %" },
  { min: 0.75, label: "75–100 %" },
  { min: 1, label: "all of it" },
] as const;

/** The index in `SHARE_BANDS` of a share 0..1. */
export function shareBand(share: number): number {
  let band = 0;
  SHARE_BANDS.forEach((candidate, index) => {
    if (share >= candidate.min) band = index;
  });
  return band;
}
