import { plural } from "@lmstrix/core";
import type { FieldChange, ImportResult } from "@lmstrix/db";
import { formatCount, oneLine } from "./numbers";

/** The database's field names as the rest of the CLI words them. */
const FIELD_LABELS: Record<string, string> = {
  path: "path",
  sizeBytes: "size",
  declaredContext: "declared",
  vision: "vision",
  toolUse: "tools",
  testStatus: "status",
  loadableLimit: "loadable limit",
  lastGoodContext: "last good",
  lastBadContext: "last bad",
  lastTestedAt: "tested at",
  errorCategory: "error category",
  errorMessage: "error",
  extraJson: "extra fields",
};

function value(field: string, raw: FieldChange["from"]): string {
  if (raw === null || raw === "") return "-";
  if (typeof raw === "number") return formatCount(raw);
  if (typeof raw === "boolean") return raw ? "yes" : "no";
  if (field === "lastTestedAt") return raw.replace("T", " ").replace(/:\d{2}\.\d{3}Z$/, " UTC");
  return oneLine(raw, 60);
}

export function describeChange(change: FieldChange): string {
  const label = FIELD_LABELS[change.field] ?? change.field;
  if (change.field === "extraJson") return `${label} merged`;
  return `${label} ${value(change.field, change.from)} → ${value(change.field, change.to)}`;
}

export interface ImportSummaryContext {
  /** The file as the user named it. */
  file: string;
  hostName: string;
  entries: number;
}

/** What an import did (or, for a dry run, would do), for people. */
export function renderImportSummary(result: ImportResult, context: ImportSummaryContext): string {
  const { file, hostName, entries } = context;
  const format = result.format === "lmsm" ? "the older lmsm.json format" : "lmstrix format";
  const again =
    result.previousImportRunId !== null
      ? ` (it was imported before, in run #${result.previousImportRunId})`
      : "";
  const changes = result.created.length + result.updated.length;
  const isNoop = changes === 0 && result.probesAdded === 0 && result.runId === null;
  if (isNoop && !result.dryRun) {
    return `Nothing changed: the ${plural(entries, "entry", "entries")} of ${file} (${format}) match host ${hostName} already${again}.\n`;
  }
  if (isNoop && result.dryRun) {
    return `Dry run, nothing written: importing ${file} (${format}) into host ${hostName} would change nothing${again}.\n`;
  }
  const lines = [
    result.dryRun
      ? `Dry run, nothing written: importing ${file} (${format}, ${plural(entries, "entry", "entries")}) into host ${hostName} would change:`
      : `Imported ${file} (${format}, ${plural(entries, "entry", "entries")}) into host ${hostName}:`,
  ];
  const verb = (done: string, would: string) => (result.dryRun ? would : done);
  if (result.created.length > 0) {
    lines.push(
      `  ${verb("created", "to create")} (${result.created.length}): ${result.created.map((item) => item.modelKey).join(", ")}`,
    );
  }
  if (result.updated.length > 0) {
    lines.push(`  ${verb("updated", "to update")} (${result.updated.length}):`);
    for (const item of result.updated) {
      const fields = item.changes.map(describeChange);
      if (item.probes.length > 0) fields.push(`${plural(item.probes.length, "measurement")} for the history`);
      lines.push(`    ${item.modelKey}: ${fields.join(", ")}`);
    }
  }
  lines.push(`  unchanged: ${formatCount(result.unchanged.length)}`);
  lines.push(
    `  measurements ${verb("added to", "to add to")} the history: ${formatCount(result.probesAdded)}${result.runId !== null ? ` (import run #${result.runId})` : ""}`,
  );
  if (result.snapshot) lines.push(`  snapshot taken before: ${result.snapshot}`);
  if (result.dryRun) lines.push("Run it again without --dry-run to import.");
  return `${lines.join("\n")}\n`;
}
