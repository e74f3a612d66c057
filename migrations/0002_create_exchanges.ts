import type { Knex } from 'knex';
import { timestampColumn, type Migration } from './migration';

export const createExchanges: Migration = {
  name: '0002_create_exchanges',
  async up(knex: Knex) {
    await knex.schema.createTable('exchanges', (table) => {
      table.uuid('id').primary();
      table.uuid('client_id').notNullable().references('id').inTable('clients').onDelete('CASCADE');
      table.string('kind', 16).notNullable().checkIn(['call', 'email', 'meeting', 'message', 'note', 'other'], 'exchanges_kind_check');
      table.string('direction', 16).nullable().checkIn(['inbound', 'outbound'], 'exchanges_direction_check');
      table.string('subject', 500).nullable();
      table.text('body').nullable();
      timestampColumn(table, 'occurred_at').notNullable();
      timestampColumn(table, 'follow_up_at').nullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      table.integer('version').notNullable().defaultTo(1);
      // A client's timeline (newest first) and the global list both page on occurred_at + id.
      table.index(['client_id', 'occurred_at', 'id'], 'exchanges_client_occurred_at_id_idx');
      table.index(['occurred_at', 'id'], 'exchanges_occurred_at_id_idx');
      table.index(['updated_at', 'id'], 'exchanges_updated_at_id_idx');
      table.index(['follow_up_at', 'id'], 'exchanges_follow_up_at_id_idx');
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('exchanges');
  },
};
