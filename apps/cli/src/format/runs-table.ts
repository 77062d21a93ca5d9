import type { RunRecord } from "@lmstrix/core";
import { formatCount, formatDateTime, formatDuration, oneLine } from "./numbers";
import { renderTable } from "./table";

export interface RunRow {
  run: RunRecord;
  hostName: string;
  probes: number;
}

/** What a run was asked to do, in a few words: "all", "2 models", "all @ 8,192". */
export function describeRunScope(run: RunRecord): string {
  const scope =
    run.options.modelKeys.length === 0
      ? "all"
      : run.options.modelKeys.length === 1
        ? run.options.modelKeys[0]!
        : `${run.options.modelKeys.length} models`;
  return run.options.fixedContext !== undefined
    ? `${scope} @ ${formatCount(run.options.fixedContext)}`
    : scope;
}

export function renderRunsTable(rows: readonly RunRow[]): string {
  const columns = [
    { header: "Run", align: "right" as const },
    { header: "Host" },
    { header: "Status" },
    { header: "Models" },
    { header: "Probes", align: "right" as const },
    { header: "Started by" },
    { header: "Created" },
    { header: "Took", align: "right" as const },
    { header: "Message" },
  ];
  const body = rows.map(({ run, hostName, probes }) => [
    `#${run.id}`,
    hostName,
    run.status,
    describeRunScope(run),
    formatCount(probes),
    run.startedBy,
    formatDateTime(run.createdAt),
    run.startedAt && run.finishedAt
      ? formatDuration(run.finishedAt.getTime() - run.startedAt.getTime())
      : "-",
    oneLine(run.message, 60),
  ]);
  return renderTable(columns, body, "Recent Runs");
}
