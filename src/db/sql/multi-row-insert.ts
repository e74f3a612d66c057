import { quoteIdentifier as q } from './quote-identifier';

/**
 * SQLite (since 3.32) accepts 32,766 bound values per statement. Fewer, wider statements
 * amortise the per-statement cost; past a few hundred rows the gain flattens, so stay well
 * below the cap.
 */
const MAX_VALUES_PER_STATEMENT = 8000;

/** How many rows of this width one multi-row INSERT takes. */
export function rowsPerInsert(columnCount: number): number {
  return Math.max(1, Math.floor(MAX_VALUES_PER_STATEMENT / columnCount));
}

/** `INSERT INTO t (a, b) VALUES (?,?),(?,?)…` for rowCount rows: the text is the statement cache's key. */
export function multiRowInsertSql(table: string, columns: readonly string[], rowCount: number): string {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${q(table)} (${columns.map(q).join(',')}) VALUES ${Array(rowCount).fill(tuple).join(',')}`;
}
