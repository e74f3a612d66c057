import type { RecordType } from '../../domain/history';
import type { HistoryPage, HistoryRepository } from '../../repositories/history.repository';
import type { Dialect } from '../dialects';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { HISTORY_COLUMNS, historyEntryFrom } from '../tables/history.table';

const REUSABLE: StatementOptions = { reusable: true };
const SELECT = `SELECT ${HISTORY_COLUMNS.join(', ')} FROM history WHERE record_id = ? AND record_type = ?`;
// Newest first: a backwards walk of the primary key (record_id, version).
const FIRST_PAGE_SQL = `${SELECT} ORDER BY version DESC LIMIT ?`;
const NEXT_PAGE_SQL = `${SELECT} AND version < ? ORDER BY version DESC LIMIT ?`;

export class SqlHistoryRepository implements HistoryRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async list(recordType: RecordType, recordId: string, limit: number, before: number | null): Promise<HistoryPage> {
    const rows =
      before === null
        ? await this.sql.values(FIRST_PAGE_SQL, [recordId, recordType, limit + 1], REUSABLE)
        : await this.sql.values(NEXT_PAGE_SQL, [recordId, recordType, before, limit + 1], REUSABLE);
    const data = rows.slice(0, limit).map((values) => historyEntryFrom(values, this.dialect));
    return { data, nextBefore: rows.length > limit ? (data.at(-1)?.version ?? null) : null };
  }
}
