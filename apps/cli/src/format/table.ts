export interface Column {
  header: string;
  align?: "left" | "right";
}

/** Display width: code points (the box and status glyphs used here are all one column wide). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return align === "right" ? fill + text : text + fill;
}

/**
 * A boxed table like the ones lmstrix prints with `rich`: a centred title, a header row, one row per line.
 * Plain text (no colour codes), so it reads the same in a terminal, a pipe or a test.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  title?: string,
): string {
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...rows.map((row) => width(row[index] ?? ""))),
  );
  const line = (left: string, middle: string, right: string) =>
    left + widths.map((size) => "─".repeat(size + 2)).join(middle) + right;
  const row = (cells: readonly string[], header = false) =>
    `│${columns
      .map(
        (column, index) =>
          ` ${pad(cells[index] ?? "", widths[index]!, header ? "left" : (column.align ?? "left"))} `,
      )
      .join("│")}│`;
  const lines = [
    line("┌", "┬", "┐"),
    row(
      columns.map((column) => column.header),
      true,
    ),
    line("├", "┼", "┤"),
    ...rows.map((cells) => row(cells)),
    line("└", "┴", "┘"),
  ];
  if (title !== undefined) {
    const total = width(lines[0]!);
    const indent = Math.max(0, Math.floor((total - width(title)) / 2));
    lines.unshift(" ".repeat(indent) + title);
  }
  return `${lines.join("\n")}\n`;
}
