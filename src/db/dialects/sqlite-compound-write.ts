import type { CompoundWrite, TableRows } from '../sql/compound-write';
import type { SqlSession } from '../sql/sql-executor';
import { insertSql } from '../tables/table-definition';

/**
 * SQLite runs in this process: a statement costs microseconds, not a round trip, so a compound
 * write is its statements one after the other in one transaction (the session's own when it
 * has one). A write with nothing depending on it is a single statement, atomic by itself.
 */
export async function applySqliteCompoundWrite(session: SqlSession, write: CompoundWrite): Promise<number> {
  const dependents = (write.children ? 1 : 0) + (write.inserts ?? []).reduce((count, rows) => count + rows.rows.length, 0);
  if (dependents === 0) return session.run(write.sql, write.params);
  return session.atomically(async (transaction) => {
    const changed = await transaction.run(write.sql, write.params);
    if (changed === 0) return 0;
    if (write.children) {
      const { table, parentColumn, parentId } = write.children;
      await transaction.run(`DELETE FROM ${table.name} WHERE ${parentColumn} = ?`, [parentId]);
      await insertEach(transaction, write.children);
    }
    for (const rows of write.inserts ?? []) await insertEach(transaction, rows);
    return changed;
  });
}

async function insertEach(session: SqlSession, { table, rows, onlyWith }: TableRows): Promise<void> {
  if (rows.length === 0) return;
  const columns = table.columns.map((column) => column.sql);
  const sql = onlyWith
    ? `INSERT INTO ${table.name} (${columns.join(', ')}) SELECT ${columns.map(() => '?').join(', ')} FROM ${onlyWith}`
    : insertSql(table, columns);
  for (const row of rows)
    await session.run(
      sql,
      columns.map((column) => row[column]),
    );
}
