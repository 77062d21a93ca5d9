import type { FitResult, Matrix, MatrixCell } from "@lmstrix/core";
import { formatCount } from "./numbers";
import { renderTable } from "./table";

const speed = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)} tok/s`);

function cellText(cell: MatrixCell | null): string {
  if (cell === null) return "";
  const mark = cell.stale.length > 0 ? " ⚠" : "";
  if (cell.untested) return `${cell.testStatus === "failed" ? "failed" : "untested"}${mark}`;
  const effective = cell.noEffectiveLimitAt === null ? formatCount(cell.effectiveLimit) : "none found";
  return `${formatCount(cell.loadableLimit)} / ${effective} · ${speed(cell.genTokensPerSec)}${mark}`;
}

/** Rows: base models (one line per quantisation); columns: hosts; then the reasons of the stale cells. */
export function renderMatrix(matrix: Matrix): string {
  const columns = [
    { header: "Base model" },
    { header: "Quant" },
    ...matrix.hosts.map((host) => ({ header: host.name })),
  ];
  const rows = matrix.groups.flatMap((group) =>
    group.rows.map((row, index) => [
      index === 0 ? group.base : "",
      row.variant || "-",
      ...row.cells.map(cellText),
    ]),
  );
  const stale = matrix.groups.flatMap((group) =>
    group.rows.flatMap((row) =>
      row.cells.flatMap((cell, column) =>
        cell && cell.stale.length > 0
          ? [`  ⚠ ${cell.modelKey} on ${matrix.hosts[column]?.name}: ${cell.stale.join("; ")}`]
          : [],
      ),
    ),
  );
  const notes = [
    "Cells: loadable / effective limit (tokens) · generation speed at the limit.",
    ...(stale.length > 0 ? ["Stale (measured under something else; re-test):", ...stale] : []),
  ];
  return `${renderTable(columns, rows, "Models × hosts")}${notes.join("\n")}\n`;
}

/** The models that fit, best first. */
export function renderFits(fits: readonly FitResult[]): string {
  const columns = [
    { header: "#", align: "right" as const },
    { header: "Model" },
    { header: "Host" },
    { header: "Limit", align: "right" as const },
    { header: "Speed", align: "right" as const },
    { header: "Measured at", align: "right" as const },
    { header: "Stale" },
  ];
  const rows = fits.map((fit, index) => [
    String(index + 1),
    fit.modelKey,
    fit.hostName,
    `${formatCount(fit.limit)} (${fit.limitKind})`,
    speed(fit.genTokensPerSec),
    fit.speedContext === null ? "-" : `${formatCount(fit.speedContext)} (${fit.speedKind})`,
    fit.stale.length > 0 ? `⚠ ${fit.stale.join("; ")}` : "",
  ]);
  return renderTable(columns, rows, "What fits, best first");
}
