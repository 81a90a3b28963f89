export type CsvCell = string | number | boolean | null | undefined;

const text = (c: CsvCell): string => (c === null || c === undefined ? '' : String(c));

/** RFC 4180: CRLF line ends; quote fields holding a comma, quote or line break; double inner quotes. */
export function csv(columns: readonly string[], rows: readonly Record<string, CsvCell>[]): string {
  return csvRows([columns, ...rows.map((r) => columns.map((c) => r[c]))]);
}

/** The same for rows given as arrays (the first row is the header). */
export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  const field = (c: CsvCell) => {
    const s = text(c);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
