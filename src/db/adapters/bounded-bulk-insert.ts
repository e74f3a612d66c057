import type { DialectTools } from '../dialects';
import { rowsPerInsert } from '../sql/multi-row-insert';
import type { SqlSession } from '../sql/sql-executor';

/**
 * The dialect's bulk insert, in chunks whose row counts are powers of two. SQLite's executor
 * prepares each distinct statement text once and keeps it for the life of the server: batches
 * of any size would each leave a multi-row INSERT of their own size behind, hundreds per table
 * over many imports. With powers of two there are a dozen per table, whatever the batches.
 */
export async function boundedBulkInsert(
  tools: DialectTools,
  session: SqlSession,
  table: string,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const widest = rowsPerInsert(Object.keys(first).length);
  for (let start = 0; start < rows.length;) {
    const size = 2 ** Math.floor(Math.log2(Math.min(rows.length - start, widest)));
    await tools.bulkInsert(session, table, rows.slice(start, start + size));
    start += size;
  }
}
