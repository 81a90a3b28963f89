export type CsvCell = string | number | boolean | null | undefined;

const text = (c: CsvCell): string => (c === null || c === undefined ? '' : String(c));

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection). OWASP's
 * advice: prefix such a text cell with a single quote, and quote the field. Numbers we produce
 * (counts) are left alone: a number is never a formula.
 */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** RFC 4180: CRLF line ends; quote fields holding a comma, quote or line break; double inner quotes. */
export function csv(columns: readonly string[], rows: readonly Record<string, CsvCell>[]): string {
  return csvRows([columns, ...rows.map((r) => columns.map((c) => r[c]))]);
}

/** The same for rows given as arrays (the first row is the header). */
export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One field: formula-leading text neutralised, then quoted where RFC 4180 needs it. */
export function csvField(c: CsvCell): string {
  const s = text(c);
  if (typeof c === 'string' && FORMULA_LEAD.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
