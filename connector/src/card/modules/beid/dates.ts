/** Month tokens as written on cards in French, Dutch and German (accents stripped). */
const MONTHS: Record<string, number> = {
  JAN: 1, JANV: 1, FEV: 2, FEB: 2, FEVR: 2, MARS: 3, MAAR: 3, MAR: 3, MRT: 3, MARZ: 3, AVR: 4, APR: 4, MAI: 5, MEI: 5,
  JUIN: 6, JUN: 6, JUNI: 6, JUIL: 7, JUL: 7, JULI: 7, AOUT: 8, AOU: 8, AUG: 8, SEPT: 9, SEP: 9, OCT: 10, OKT: 10,
  NOV: 11, DEC: 12, DEZ: 12,
};

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function valid(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Card validity dates: `DD.MM.YYYY`. */
export function parseNumericDate(s: string): string | undefined {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return valid(y, mo, d) ? iso(y, mo, d) : undefined;
}

/**
 * Birth date: `DD MMM YYYY` with the month in the card's language (`15 MAI 1985`,
 * `15 MEI 1985`, `15 MÄR 1985`); German cards write `15.MÄR.1985`.
 */
export function parseBirthDate(s: string): string | undefined {
  const clean = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toUpperCase();
  const m = /^(\d{1,2})[ .]+([A-Z]+)\.?[ .]*(\d{4})$/.exec(clean);
  if (!m) return undefined;
  const month = MONTHS[m[2]!];
  if (!month) return undefined;
  const [d, y] = [Number(m[1]), Number(m[3])];
  return valid(y, month, d) ? iso(y, month, d) : undefined;
}
