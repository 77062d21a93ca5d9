import type { Host, HostLease } from "@lmstrix/core";
import { formatCount } from "./numbers";
import { renderTable } from "./table";

export interface HostRow {
  host: Host;
  models: number;
  /** The lease when a live process holds the host. */
  lease: HostLease | null;
}

export function renderHostsTable(rows: readonly HostRow[]): string {
  const columns = [
    { header: "Name" },
    { header: "URL" },
    { header: "Enabled" },
    { header: "Models", align: "right" as const },
    { header: "Busy with" },
  ];
  const body = rows.map(({ host, models, lease }) => [
    host.name,
    host.url,
    host.enabled ? "yes" : "no",
    formatCount(models),
    lease ? `${lease.runId !== null ? `run #${lease.runId} ` : ""}(${lease.holder})` : "-",
  ]);
  return renderTable(columns, body, "LM Studio Hosts");
}
