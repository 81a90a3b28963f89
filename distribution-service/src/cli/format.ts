/** Output helpers for the admin CLI: aligned tables for people, CSV and JSON for tools. */
export type Cell = string | number | boolean | null | undefined;

const text = (c: Cell): string => (c === null || c === undefined ? '' : String(c));

export function table(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return '(none)\n';
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line([...columns]), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join('\n') + '\n';
}

export { csv } from '../domain/csv.js';
