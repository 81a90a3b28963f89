/**
 * A database row as either driver returns it, and the conversions both backends need: SQLite
 * gives integers as numbers and booleans as 0/1; PostgreSQL gives bigint and COUNT(*) as
 * strings and booleans as booleans. The per-area mappers (`<area>-rows.ts`) read rows through
 * these, so one mapper serves both backends.
 */
export type Row = Record<string, unknown>;

/** bigint and COUNT(*) come back as strings from PostgreSQL: every count here fits a JS number. */
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

/** SQLite's 0/1, PostgreSQL's boolean. */
export const flag = (v: unknown): boolean => v === true || v === 1;
export const flagOrNull = (v: unknown): boolean | null => (v === null || v === undefined ? null : flag(v));

export const textOrNull = (v: unknown): string | null => (v as string | null | undefined) ?? null;
