import type { Knex } from 'knex';
import { timestampColumn, type Migration } from './migration';

export const createIdempotencyKeys: Migration = {
  name: '0003_create_idempotency_keys',
  async up(knex: Knex) {
    await knex.schema.createTable('idempotency_keys', (table) => {
      // Keys are scoped per API key (a digest of it, never the key itself).
      table.string('scope', 64).notNullable();
      table.string('key', 255).notNullable();
      table.string('request_hash', 64).notNullable();
      table.integer('status_code').nullable();
      table.text('response_body').nullable();
      table.text('location').nullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'expires_at').notNullable();
      table.primary(['scope', 'key']);
      table.index(['expires_at'], 'idempotency_keys_expires_at_idx');
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('idempotency_keys');
  },
};
