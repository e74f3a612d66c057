import type { Knex } from 'knex';
import type { IdempotencyRecord, IdempotencyRepository, StoredResponse } from '../../repositories/idempotency.repository';
import type { Dialect } from '../dialects';

interface IdempotencyRow {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  location: string | null;
  created_at: unknown;
  expires_at: unknown;
}

export class KnexIdempotencyRepository implements IdempotencyRepository {
  constructor(
    private readonly db: Knex,
    private readonly dialect: Dialect,
  ) {}

  async claim(scope: string, key: string, requestHash: string, expiresAt: string): Promise<boolean> {
    const now = new Date().toISOString();
    await this.db('idempotency_keys').where({ scope, key }).andWhere('expires_at', '<=', this.dialect.toDbTimestamp(now)).delete();
    // ON CONFLICT DO NOTHING: on PostgreSQL a concurrent claim of the same key waits here until
    // the other transaction commits (then nothing is inserted) or rolls back (then this wins).
    const inserted = await this.db('idempotency_keys')
      .insert({
        scope,
        key,
        request_hash: requestHash,
        status_code: null,
        response_body: null,
        location: null,
        created_at: this.dialect.toDbTimestamp(now),
        expires_at: this.dialect.toDbTimestamp(expiresAt),
      })
      .onConflict(['scope', 'key'])
      .ignore()
      .returning(['key']);
    return inserted.length > 0;
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.db('idempotency_keys')
      .where({ scope, key })
      .update({ status_code: response.status, response_body: JSON.stringify(response.body), location: response.location });
  }

  async find(scope: string, key: string, now: string): Promise<IdempotencyRecord | null> {
    const row: IdempotencyRow | undefined = await this.db('idempotency_keys')
      .where({ scope, key })
      .andWhere('expires_at', '>', this.dialect.toDbTimestamp(now))
      .first();
    if (!row || row.status_code === null) return null;
    return {
      requestHash: row.request_hash,
      response: { status: row.status_code, body: JSON.parse(row.response_body ?? 'null'), location: row.location },
    };
  }

  async deleteExpired(now: string): Promise<number> {
    return this.db('idempotency_keys').where('expires_at', '<=', this.dialect.toDbTimestamp(now)).delete();
  }
}
