/** Output helpers for the admin CLI: aligned tables for people, CSV and JSON for tools. */
export type Cell = string | number | boolean | null | undefined;

const text = (c: Cell): string => (c === null || c === undefined ? '' : String(c));

export function table(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return '(none)\n';
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line([...columns]), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n') + '\n';
}

/** RFC 4180: quote fields holding a comma, quote or line break; double inner quotes. */
export function csv(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const field = (c: Cell) => {
    const s = text(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [columns.join(','), ...rows.map((r) => columns.map((c) => field(r[c])).join(','))].join('\r\n') + '\r\n';
}
