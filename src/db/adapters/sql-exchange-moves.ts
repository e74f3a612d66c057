import type { ChangeContext } from '../../domain/history';
import type { Dialect } from '../dialects';
import { multiRowInsertSql, rowsPerInsert } from '../sql/multi-row-insert';
import type { SqlSession } from '../sql/sql-executor';
import { HISTORY_COLUMNS, historyRow } from '../tables/history.table';

const MOVE_SQL = 'UPDATE exchanges SET client_id = ?, version = version + 1, updated_at = ? WHERE client_id = ? RETURNING id, version';

/**
 * Gives every live exchange of one client to another (a merge), with a `merged` entry each:
 * the UPDATE reports the versions it wrote, so an exchange changed by another writer meanwhile
 * gets the entry of the version it really reached. The same SQL on both databases.
 */
export function moveExchangesToClient(
  sql: SqlSession,
  dialect: Dialect,
  fromClientId: string,
  toClientId: string,
  change: ChangeContext,
): Promise<number> {
  const changes = { clientId: { from: fromClientId, to: toClientId } };
  return sql.atomically(async (tx) => {
    const moved = await tx.values(MOVE_SQL, [toClientId, dialect.toDbTimestamp(change.at), fromClientId]);
    const rows = moved.map(([id, version]) =>
      historyRow(
        { recordType: 'exchange', recordId: id as string, version: Number(version), action: 'merged', ...change, changes },
        dialect,
      ),
    );
    const perStatement = rowsPerInsert(HISTORY_COLUMNS.length);
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      await tx.run(
        multiRowInsertSql('history', HISTORY_COLUMNS, chunk.length),
        chunk.flatMap((row) => HISTORY_COLUMNS.map((column) => row[column])),
      );
    }
    return moved.length;
  });
}
