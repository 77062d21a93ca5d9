import { type ComparedModelFigures, type ModelComparison, percent, type TestStatus } from "@lmstrix/core";
import { STATUS_LABELS } from "./models-table";
import { formatCount, formatDateTime } from "./numbers";
import { renderTable } from "./table";

const speed = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)} tok/s`);

/** The rows of the dashboard's Compare page, in its order; a note follows the figure in parentheses. */
const ROWS: readonly { label: string; cell: (model: ComparedModelFigures) => string }[] = [
  { label: "Host", cell: (model) => model.host.name },
  { label: "Quantisation", cell: (model) => model.quantization ?? "-" },
  // In the words of `list` and the dashboard ("✓ Tested"), not the stored value.
  { label: "Status", cell: (model) => STATUS_LABELS[model.testStatus as TestStatus] ?? model.testStatus },
  { label: "Declared", cell: (model) => formatCount(model.declaredContext) },
  {
    label: "Loadable limit",
    cell: (model) =>
      model.loadableShareOfDeclared === null
        ? formatCount(model.loadableLimit)
        : `${formatCount(model.loadableLimit)} (${percent(model.loadableShareOfDeclared)} of declared)`,
  },
  {
    label: "Effective limit",
    cell: (model) =>
      model.effectiveMissing === null ? formatCount(model.effectiveLimit) : `- (${model.effectiveMissing})`,
  },
  {
    label: "Comfortable limit",
    cell: ({ comfortable }) =>
      comfortable.context === null
        ? `- (${comfortable.reason})`
        : `${formatCount(comfortable.context)} (${speed(comfortable.point.genTokensPerSec)} there)`,
  },
  {
    label: "Generation at the limit",
    cell: ({ generationAtLimit: point }) =>
      point === null
        ? "- (no speed measured within the limit)"
        : `${speed(point.genTokensPerSec)} at ${formatCount(point.context)} tokens (${point.kind === "filled" ? "filled window" : "short check"})`,
  },
  { label: "Last tested", cell: (model) => formatDateTime(model.lastTestedAt) },
];

/** A column per model (headed by its key), a row per figure; then the thresholds and the models gone. */
export function renderComparison(comparison: ModelComparison): string {
  const { models, thresholds } = comparison;
  const columns = [{ header: "" }, ...models.map((model) => ({ header: model.modelKey }))];
  const rows = ROWS.map((row) => [row.label, ...models.map(row.cell)]);
  const gone = models.filter((model) => !model.isPresent);
  const notes = [
    `Comfortable: at least ${thresholds.minGenTokensPerSec} tok/s and at most ${thresholds.maxTtftSec} s to the first token (--min-tps, --max-ttft).`,
    ...gone.map(
      (model) => `${model.modelKey} on ${model.host.name} is gone from its host, kept for its history.`,
    ),
  ];
  return `${renderTable(columns, rows, "Models compared")}${notes.join("\n")}\n`;
}
