import type { SnapshotInfo } from "@lmstrix/db";
import { formatAge, formatDateTime, formatSize } from "./numbers";
import { renderTable } from "./table";

/** Snapshots newest first: name (what `snapshot restore` takes), reason, size, when. */
export function renderSnapshotsTable(
  snapshots: readonly SnapshotInfo[],
  title: string | null = "Snapshots",
): string {
  const columns = [
    { header: "Name" },
    { header: "Reason" },
    { header: "Size", align: "right" as const },
    { header: "Taken" },
    { header: "Age", align: "right" as const },
  ];
  const rows = snapshots.map((snapshot) => [
    snapshot.missing ? `${snapshot.name} (file gone)` : snapshot.name,
    snapshot.reason,
    snapshot.missing ? "-" : formatSize(snapshot.sizeBytes),
    formatDateTime(snapshot.createdAt),
    formatAge(snapshot.ageMs),
  ]);
  return renderTable(columns, rows, title ?? undefined);
}

/** A snapshot as JSON for scripts: dates as ISO text. */
export function snapshotJson(snapshot: SnapshotInfo) {
  return {
    name: snapshot.name,
    reason: snapshot.reason,
    sizeBytes: snapshot.sizeBytes,
    createdAt: snapshot.createdAt.toISOString(),
    ageMs: snapshot.ageMs,
    recorded: snapshot.recorded,
    missing: snapshot.missing,
  };
}
