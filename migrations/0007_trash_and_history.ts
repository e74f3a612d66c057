import type { Knex } from 'knex';
import { runStatements, timestampColumn, type Migration, type MigrationDriver } from './migration';

/**
 * Trash and history. A deleted client or exchange moves, row for row, into a trash table of
 * the same columns: the live tables, their indexes and every read of them stay exactly as they
 * were, so lists, search, timelines and filters never see a trashed record and cost the same.
 * history keeps one entry per change of a record, and outlives the record.
 */

function bytewiseText(driver: MigrationDriver, length: number): string {
  return driver === 'postgres' ? `varchar(${length}) COLLATE "C"` : `varchar(${length})`;
}

/**
 * On PostgreSQL a client is moved to the trash by one statement that takes its exchanges with
 * it. An exchange added by a transaction that commits while that statement waits for the
 * client's row is not in the statement's snapshot; with ON DELETE CASCADE it would be deleted
 * without reaching the trash. Without the cascade, the statement fails on the foreign key
 * instead, and is retried. (SQLite writes one transaction at a time: nothing can slip in.)
 */
const POSTGRES_UP = [
  'ALTER TABLE exchanges DROP CONSTRAINT exchanges_client_id_foreign',
  'ALTER TABLE exchanges ADD CONSTRAINT exchanges_client_id_foreign FOREIGN KEY (client_id) REFERENCES clients (id)',
];
const POSTGRES_DOWN = [
  'ALTER TABLE exchanges DROP CONSTRAINT exchanges_client_id_foreign',
  'ALTER TABLE exchanges ADD CONSTRAINT exchanges_client_id_foreign FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE',
];

export const trashAndHistory: Migration = {
  name: '0007_trash_and_history',
  async up(knex: Knex, driver: MigrationDriver) {
    await knex.schema.createTable('clients_trash', (table) => {
      table.uuid('id').primary();
      table.string('name', 200).notNullable();
      table.string('email', 320).nullable();
      table.string('phone', 64).nullable();
      table.string('company', 200).nullable();
      table.string('status', 16).notNullable();
      table.text('tags').notNullable();
      table.text('notes').nullable();
      table.text('search_text').notNullable();
      table.specificType('sort_name', bytewiseText(driver, 500)).notNullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      table.integer('version').notNullable();
      timestampColumn(table, 'deleted_at').notNullable();
      // The trash lists newest deletions first and the purge takes the oldest.
      table.index(['deleted_at', 'id'], 'clients_trash_deleted_at_id_idx');
    });
    await knex.schema.createTable('exchanges_trash', (table) => {
      table.uuid('id').primary();
      table.uuid('client_id').notNullable();
      table.string('kind', 16).notNullable();
      table.string('direction', 16).nullable();
      table.string('subject', 500).nullable();
      table.text('body').nullable();
      timestampColumn(table, 'occurred_at').notNullable();
      timestampColumn(table, 'follow_up_at').nullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      table.integer('version').notNullable();
      timestampColumn(table, 'deleted_at').notNullable();
      // Set when the exchange went to the trash with its client: it comes back with it, and
      // is not listed on its own.
      table.uuid('trashed_with_client').nullable();
      table.index(['deleted_at', 'id'], 'exchanges_trash_deleted_at_id_idx');
      table.index(['trashed_with_client'], 'exchanges_trash_trashed_with_client_idx');
      table.index(['client_id'], 'exchanges_trash_client_id_idx');
    });
    await knex.schema.createTable('history', (table) => {
      table.uuid('record_id').notNullable();
      table.integer('version').notNullable();
      table.string('record_type', 16).notNullable().checkIn(['client', 'exchange'], 'history_record_type_check');
      table
        .string('action', 16)
        .notNullable()
        .checkIn(['created', 'updated', 'deleted', 'restored', 'merged', 'imported'], 'history_action_check');
      timestampColumn(table, 'at').notNullable();
      table.string('actor', 64).nullable();
      // JSON object text: { field: { from, to } }.
      table.text('changes').notNullable();
      // A record's history, newest first, is a walk of the primary key backwards.
      table.primary(['record_id', 'version']);
    });
    if (driver === 'postgres') await runStatements(knex, POSTGRES_UP);
  },
  async down(knex: Knex, driver: MigrationDriver) {
    if (driver === 'postgres') await runStatements(knex, POSTGRES_DOWN);
    await knex.schema.dropTable('history');
    await knex.schema.dropTable('exchanges_trash');
    await knex.schema.dropTable('clients_trash');
  },
};
