import { multiRowInsertSql, rowsPerInsert } from '../sql/multi-row-insert';
import type { SqlSession } from '../sql/sql-executor';

// A bulk load updates index pages all over the file (exchanges by client, say); with SQLite's
// default 2 MB page cache they are read back from the OS again and again. 64 MB cut the system
// time of seeding a million exchanges by half. Only sessions that bulk-load (crm commands) get it.
const BULK_CACHE_KIB = 65536;
const enlarged = new WeakSet<SqlSession>();

/**
 * Multi-row INSERTs in the session's transaction; the executor prepares each distinct text once,
 * and every full chunk of a table has the same text.
 */
export async function sqliteBulkInsert(session: SqlSession, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  if (!enlarged.has(session)) {
    await session.run(`PRAGMA cache_size = -${BULK_CACHE_KIB}`);
    enlarged.add(session);
  }
  const columns = Object.keys(first);
  const perStatement = rowsPerInsert(columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    for (const row of chunk) for (const column of columns) values.push(row[column]);
    await session.run(multiRowInsertSql(table, columns, chunk.length), values);
  }
}
