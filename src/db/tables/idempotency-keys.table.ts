import { defineTable, type RowOf } from './table-definition';

/**
 * POST requests seen with an Idempotency-Key, per API key (scope is a digest of it, never the
 * key itself). The response columns stay null until the first request has its answer.
 */
export const idempotencyKeysTable = defineTable()({
  name: 'idempotency_keys',
  primaryKey: ['scope', 'key'],
  columns: [
    { sql: 'scope', type: 'text' },
    { sql: 'key', type: 'text' },
    { sql: 'request_hash', type: 'text' },
    { sql: 'status_code', type: 'int', nullable: true },
    { sql: 'response_body', type: 'json-text', nullable: true },
    { sql: 'location', type: 'text', nullable: true },
    { sql: 'created_at', type: 'timestamp' },
    { sql: 'expires_at', type: 'timestamp' },
  ],
});

export type IdempotencyKeyRow = RowOf<typeof idempotencyKeysTable>;
