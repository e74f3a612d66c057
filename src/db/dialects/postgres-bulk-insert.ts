import { quoteIdentifier as q } from '../sql/quote-identifier';
import type { SqlSession } from '../sql/sql-executor';

/**
 * One statement per batch whatever its size: the rows travel as a single JSON parameter and
 * PostgreSQL types each field from the table's own row type, so there is no 65,535-parameter
 * limit to split around and no per-value placeholder to build.
 */
export async function postgresBulkInsert(session: SqlSession, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first).map(q).join(', ');
  await session.run(`INSERT INTO ${q(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${q(table)}, ?::json)`, [
    JSON.stringify(rows),
  ]);
}
