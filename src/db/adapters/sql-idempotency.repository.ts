import type { IdempotencyRecord, IdempotencyRepository, StoredResponse } from '../../repositories/idempotency.repository';
import type { Dialect } from '../dialects';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { idempotencyKeysTable, type IdempotencyKeyRow } from '../tables/idempotency-keys.table';
import type { ColumnName } from '../tables/table-definition';

type Column = ColumnName<typeof idempotencyKeysTable>;

/** Set when the first request has its answer; null while it is being handled. */
const RESPONSE_COLUMNS = ['status_code', 'response_body', 'location'] as const satisfies readonly Column[];
type ResponseColumn = (typeof RESPONSE_COLUMNS)[number];
const isResponseColumn = (column: Column): column is ResponseColumn => (RESPONSE_COLUMNS as readonly Column[]).includes(column);

const COLUMNS = idempotencyKeysTable.columns.map((column) => column.sql);
const CLAIM_COLUMNS = COLUMNS.filter((column): column is Exclude<Column, ResponseColumn> => !isResponseColumn(column));
const CLAIM_VALUES = COLUMNS.map((column) => (isResponseColumn(column) ? 'NULL' : '?'));
// ON CONFLICT DO NOTHING: on PostgreSQL a concurrent claim of the same key waits here until
// the other transaction commits (then nothing is inserted) or rolls back (then this wins).
const CLAIM_SQL = `INSERT INTO idempotency_keys (${COLUMNS.join(', ')})
       VALUES (${CLAIM_VALUES.join(', ')}) ON CONFLICT (scope, key) DO NOTHING RETURNING key`;
const COMPLETE_SQL = `UPDATE idempotency_keys SET ${RESPONSE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE scope = ? AND key = ?`;
const FIND_SQL = `SELECT request_hash, ${RESPONSE_COLUMNS.join(', ')} FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at > ?`;

// Fixed statements, planned once per PostgreSQL connection (StatementOptions).
const REUSABLE: StatementOptions = { reusable: true };

type StoredRequest = Pick<IdempotencyKeyRow, 'request_hash' | ResponseColumn>;

export class SqlIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async claim(scope: string, key: string, requestHash: string, expiresAt: string): Promise<boolean> {
    const now = this.dialect.toDbTimestamp(new Date().toISOString());
    await this.sql.run('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at <= ?', [scope, key, now], REUSABLE);
    const claimed: Omit<IdempotencyKeyRow, ResponseColumn> = {
      scope,
      key,
      request_hash: requestHash,
      created_at: now,
      expires_at: this.dialect.toDbTimestamp(expiresAt),
    };
    const inserted = await this.sql.all(
      CLAIM_SQL,
      CLAIM_COLUMNS.map((column) => claimed[column]),
      REUSABLE,
    );
    return inserted.length > 0;
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const stored: Pick<IdempotencyKeyRow, ResponseColumn> = {
      status_code: response.status,
      response_body: JSON.stringify(response.body),
      location: response.location,
    };
    await this.sql.run(COMPLETE_SQL, [...RESPONSE_COLUMNS.map((column) => stored[column]), scope, key], REUSABLE);
  }

  async find(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    const [row] = await this.sql.all<StoredRequest>(FIND_SQL, [scope, key, this.dialect.toDbTimestamp(now)], REUSABLE);
    if (!row || row.status_code === null) return null;
    return {
      requestHash: row.request_hash,
      response: { status: row.status_code, body: JSON.parse(row.response_body ?? 'null'), location: row.location },
    };
  }

  async deleteExpired(now: string): Promise<number> {
    return this.sql.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [this.dialect.toDbTimestamp(now)]);
  }
}
