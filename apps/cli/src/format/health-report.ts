import { plural } from "@lmstrix/core";
import type { HealthProblem, HealthReport, HealthSeverity, RepairResult } from "@lmstrix/db";
import { formatCount, formatSize } from "./numbers";
import { renderSnapshotsTable } from "./snapshots-table";

const SEVERITY_LABEL: Record<HealthSeverity, string> = {
  error: "✗ error  ",
  warning: "⚠ warning",
  info: "· note   ",
};

/** Problems listed in the text report; the rest are counted (the JSON has them all). */
const MAX_LISTED = 50;

/** Kinds that mean the file itself is in trouble: repair cannot help, a snapshot restore can. */
const DAMAGE_KINDS = new Set(["unreadable", "integrity", "foreign-key"]);

function countBy(problems: readonly HealthProblem[], severity: HealthSeverity): number {
  return problems.filter((problem) => problem.severity === severity).length;
}

/** The status line: "Health: OK — no problems found", "Health: WARNING — 2 warnings, 1 note". */
export function healthHeadline(report: HealthReport): string {
  const errors = countBy(report.problems, "error");
  const warnings = countBy(report.problems, "warning");
  const notes = countBy(report.problems, "info");
  const noteText = notes > 0 ? ` (${plural(notes, "note")})` : "";
  if (report.status === "ok") return `Health: OK — no problems found${noteText}`;
  const parts = [
    errors > 0 ? plural(errors, "error") : null,
    warnings > 0 ? plural(warnings, "warning") : null,
    notes > 0 ? plural(notes, "note") : null,
  ].filter((part) => part !== null);
  return `Health: ${report.status === "error" ? "ERROR" : "WARNING"} — ${parts.join(", ")}`;
}

function databaseSection(report: HealthReport): string[] {
  const { database, integrity, counts } = report;
  const missing = report.problems.some(
    (problem) => problem.kind === "unreadable" && problem.message.startsWith("There is no database file"),
  );
  const size = missing
    ? "-"
    : `${formatSize(database.sizeBytes)}${database.walBytes > 0 ? ` (+ ${formatSize(database.walBytes)} write-ahead log)` : ""}`;
  const migration =
    database.migrationVersion === null
      ? "-"
      : database.pendingMigrations.length > 0
        ? `${database.migrationVersion} (${database.pendingMigrations.length} pending, latest ${database.latestMigration})`
        : database.unknownMigrations.length > 0
          ? `${database.migrationVersion} (newer than this LMStrix)`
          : `${database.migrationVersion} (up to date)`;
  const integrityText =
    integrity.result.length === 0
      ? "not checked"
      : integrity.ok
        ? "ok"
        : `damaged: ${integrity.result.slice(0, 3).join("; ")}${integrity.result.length > 3 ? "; …" : ""}`;
  const readable = integrity.result.length > 0 && counts !== null;
  const foreignKeys = !readable
    ? "not checked"
    : integrity.foreignKeyViolations.length === 0
      ? "ok"
      : `${plural(integrity.foreignKeyViolations.length, "broken reference")}`;
  const contents = counts
    ? [
        plural(counts.hosts, "host"),
        plural(counts.models, "model"),
        plural(counts.runs, "run"),
        plural(counts.probes, "probe"),
      ].join(", ")
    : "-";
  const rows: [string, string][] = [
    ["file", database.path],
    ["size", size],
    ["migration", migration],
    ["integrity", integrityText],
    ["foreign keys", foreignKeys],
    ["contents", contents],
  ];
  return ["Database", ...rows.map(([label, value]) => `  ${label.padEnd(13)}${value}`)];
}

function problemsSection(problems: readonly HealthProblem[]): string[] {
  if (problems.length === 0) return ["Problems: none"];
  const order: HealthSeverity[] = ["error", "warning", "info"];
  const sorted = [...problems].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const lines = sorted
    .slice(0, MAX_LISTED)
    .map(
      (problem) =>
        `  ${SEVERITY_LABEL[problem.severity]}  ${problem.message}${problem.repairable ? "  [--repair fixes it]" : ""}`,
    );
  if (sorted.length > MAX_LISTED) {
    lines.push(`  … and ${formatCount(sorted.length - MAX_LISTED)} more (see --json)`);
  }
  return [`Problems (${formatCount(problems.length)})`, ...lines];
}

/** The human report: status line, then the database, the problems, the snapshots and what to do next. */
export function renderHealthReport(report: HealthReport, options: { repaired?: boolean } = {}): string {
  const lines = [
    healthHeadline(report),
    "",
    ...databaseSection(report),
    "",
    ...problemsSection(report.problems),
  ];
  lines.push("");
  if (report.snapshots.length === 0) {
    lines.push("Snapshots: none yet (one is taken before every run, import, restore and repair)");
  } else {
    lines.push(`Snapshots (${formatCount(report.snapshots.length)}, newest first)`);
    lines.push(renderSnapshotsTable(report.snapshots, null).trimEnd());
  }

  const hints: string[] = [];
  const missing = report.problems.some(
    (problem) => problem.kind === "unreadable" && problem.message.startsWith("There is no database file"),
  );
  const damaged = report.problems.some((problem) => DAMAGE_KINDS.has(problem.kind));
  const restorable = report.snapshots.find((snapshot) => !snapshot.missing);
  if (missing) {
    hints.push("The database is created the first time a command writes (e.g. pnpm lmstrix scan).");
  }
  if (damaged && !missing) {
    hints.push(
      restorable
        ? `Restore a snapshot to get the data back: pnpm lmstrix snapshot restore ${restorable.name}`
        : "There is no snapshot to restore; export what can still be read, or start over with a fresh data directory.",
    );
  }
  const repairable = report.problems.filter((problem) => problem.repairable).length;
  if (repairable > 0 && !options.repaired) {
    hints.push(
      `Run "pnpm lmstrix health --repair" to fix the ${plural(repairable, "repairable problem")} (a snapshot is taken first).`,
    );
  }
  if (hints.length > 0) lines.push("", ...hints);
  return `${lines.join("\n")}\n`;
}

/** What `--repair` did, before the report of the state after it. */
export function renderRepair(result: RepairResult): string {
  if (result.changes.length === 0)
    return "Repair: nothing that is safe to repair was found; nothing changed.\n";
  const head = `Repair: ${plural(result.changes.length, "change")}${result.snapshot ? `, after taking snapshot ${result.snapshot.name}` : ""}:`;
  return `${[head, ...result.changes.map((change) => `  ✓ ${change.message}`)].join("\n")}\n`;
}
