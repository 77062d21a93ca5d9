/**
 * When a stored measurement no longer speaks for the host: it was taken under another LM Studio version (0.4.x
 * rounds, reduces or ignores the requested context where 0.3.x did not) or on another model file (a re-downloaded
 * or re-quantised file of the same key). Unknown on either side is not a difference: rows measured before these
 * facts were kept are not all marked stale at once.
 */

/** The conditions a measurement was taken under, or the host's and file's conditions now. */
export interface MeasuredUnder {
  lmStudioVersion: string | null;
  sizeBytes: number | null;
  modifiedAt: Date | null;
}

export type StaleReason =
  | { kind: "lmstudio-version"; measured: string; current: string }
  | { kind: "model-size"; measured: number; current: number }
  | { kind: "model-modified"; measured: Date; current: Date };

/** File times are compared to the second: file systems and JSON round-trips keep no more. */
function sameSecond(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/** Why a measurement taken under `measured` is stale now, under `current`; empty when it still holds. */
export function staleReasons(measured: MeasuredUnder, current: MeasuredUnder): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (
    measured.lmStudioVersion &&
    current.lmStudioVersion &&
    measured.lmStudioVersion !== current.lmStudioVersion
  ) {
    reasons.push({
      kind: "lmstudio-version",
      measured: measured.lmStudioVersion,
      current: current.lmStudioVersion,
    });
  }
  if (measured.sizeBytes !== null && current.sizeBytes !== null && measured.sizeBytes !== current.sizeBytes) {
    reasons.push({ kind: "model-size", measured: measured.sizeBytes, current: current.sizeBytes });
  }
  if (measured.modifiedAt && current.modifiedAt && !sameSecond(measured.modifiedAt, current.modifiedAt)) {
    reasons.push({ kind: "model-modified", measured: measured.modifiedAt, current: current.modifiedAt });
  }
  return reasons;
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toLocaleString("en-US", { maximumFractionDigits: 2 })} GiB`;
}

/** One reason in words: "LM Studio 0.3.20 → 0.4.21", "model file 4.58 GiB → 4.92 GiB". */
export function describeStaleReason(reason: StaleReason): string {
  switch (reason.kind) {
    case "lmstudio-version":
      return `LM Studio ${reason.measured} → ${reason.current}`;
    case "model-size":
      return `model file ${formatBytes(reason.measured)} → ${formatBytes(reason.current)}`;
    case "model-modified":
      return `model file modified ${reason.current.toISOString().slice(0, 10)} (measured on the file of ${reason.measured.toISOString().slice(0, 10)})`;
  }
}

/** A model row's side of the check: its file now, and what its current limits were measured under. */
export interface StaleCheckModel {
  testStatus: string;
  sizeBytes: number;
  modifiedAt: Date | null;
  measuredLmStudioVersion: string | null;
  measuredSizeBytes: number | null;
  measuredModifiedAt: Date | null;
}

/** Why a model's stored result is stale on a host that now runs `hostLmStudioVersion`; untested models never are. */
export function modelStaleReasons(model: StaleCheckModel, hostLmStudioVersion: string | null): StaleReason[] {
  if (model.testStatus !== "completed" && model.testStatus !== "failed") return [];
  return staleReasons(
    {
      lmStudioVersion: model.measuredLmStudioVersion,
      sizeBytes: model.measuredSizeBytes,
      modifiedAt: model.measuredModifiedAt,
    },
    { lmStudioVersion: hostLmStudioVersion, sizeBytes: model.sizeBytes, modifiedAt: model.modifiedAt },
  );
}
