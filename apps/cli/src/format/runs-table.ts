import { describeRunScope, type RunRecord } from "@lmstrix/core";
import { formatCount, formatDateTime, formatDuration, oneLine } from "./numbers";
import { renderTable } from "./table";

export interface RunRow {
  run: RunRecord;
  hostName: string;
  probes: number;
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
    describeRunScope(run.options),
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
