import type { IdempotencyRecord, IdempotencyRepository, StoredResponse } from '../../repositories/idempotency.repository';
import type { Dialect } from '../dialects';
import type { SqlSession } from '../sql/sql-executor';

interface IdempotencyRow {
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  location: string | null;
}

export class SqlIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async claim(scope: string, key: string, requestHash: string, expiresAt: string): Promise<boolean> {
    const now = this.dialect.toDbTimestamp(new Date().toISOString());
    await this.sql.run('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at <= ?', [scope, key, now]);
    // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent claim of the same key waits here until
    // the other transaction commits (then nothing is inserted) or rolls back (then this wins).
    const inserted = await this.sql.all(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, location, created_at, expires_at)
       VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
      [scope, key, requestHash, now, this.dialect.toDbTimestamp(expiresAt)],
    );
    return inserted.length > 0;
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.sql.run('UPDATE idempotency_keys SET status_code = ?, response_body = ?, location = ? WHERE scope = ? AND key = ?', [
      response.status, JSON.stringify(response.body), response.location, scope, key,
    ]);
  }

  async find(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    const [row] = await this.sql.all<IdempotencyRow>(
      'SELECT request_hash, status_code, response_body, location FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at > ?',
      [scope, key, this.dialect.toDbTimestamp(now)],
    );
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
