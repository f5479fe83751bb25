/** Plain-text tables for the terminal: left-aligned text, right-aligned numbers, two spaces between columns. */

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  align?: "left" | "right";
}

export function formatTable<Row>(rows: Row[], columns: Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(width(column.header), ...cells.map((line) => width(line[index])))
  );
  const render = (line: string[]) =>
    line.map((cell, index) => {
      const pad = " ".repeat(widths[index] - width(cell));
      return columns[index].align === "right" ? pad + cell : cell + pad;
    }).join("  ").trimEnd();
  const header = render(columns.map((column) => column.header));
  const rule = widths.map((size) => "─".repeat(size)).join("  ");
  return [header, rule, ...cells.map(render)].join("\n");
}

/** Display width: code points, so ✓ and ✗ count as one column. */
function width(text: string): number {
  return [...text].length;
}

/** 262144 → `262K`, 1048576 → `1M`, 1050000 → `1.05M`. */
export function compactTokens(count: number): string {
  if (count >= 1_000_000) return `${Number((count / 1_000_000).toFixed(2))}M`;
  if (count >= 1_000) return `${Math.round(count / 1_000)}K`;
  return String(count);
}
