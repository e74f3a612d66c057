import type { Knex } from 'knex';
import { timestampColumn, type Migration, type MigrationDriver } from './migration';

/**
 * Text compared byte by byte (UTF-8), as SQLite's default BINARY collation does: PostgreSQL's
 * database collation (often en_US) would order names differently from SQLite.
 */
function bytewiseText(driver: MigrationDriver, length: number): string {
  return driver === 'postgres' ? `varchar(${length}) COLLATE "C"` : `varchar(${length})`;
}

export const createClients: Migration = {
  name: '0001_create_clients',
  async up(knex: Knex, driver: MigrationDriver) {
    await knex.schema.createTable('clients', (table) => {
      table.uuid('id').primary();
      table.string('name', 200).notNullable();
      table.string('email', 320).nullable();
      table.string('phone', 64).nullable();
      table.string('company', 200).nullable();
      table
        .string('status', 16)
        .notNullable()
        .defaultTo('lead')
        .checkIn(['lead', 'prospect', 'customer', 'inactive'], 'clients_status_check');
      // JSON array text: the same on both dialects; client_tags below makes it filterable.
      table.text('tags').notNullable().defaultTo('[]');
      table.text('notes').nullable();
      // Lower-cased, accent-free copies computed by the application, so search and name order
      // are identical on both backends whatever the database collation.
      table.text('search_text').notNullable().defaultTo('');
      table.specificType('sort_name', bytewiseText(driver, 500)).notNullable().defaultTo('');
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'updated_at').notNullable();
      table.integer('version').notNullable().defaultTo(1);
      // Keyset pagination: every sort key is indexed together with the id tie-breaker.
      table.index(['created_at', 'id'], 'clients_created_at_id_idx');
      table.index(['updated_at', 'id'], 'clients_updated_at_id_idx');
      table.index(['sort_name', 'id'], 'clients_sort_name_id_idx');
      table.index(['status', 'created_at', 'id'], 'clients_status_created_at_id_idx');
    });

    await knex.schema.createTable('client_tags', (table) => {
      table.uuid('client_id').notNullable().references('id').inTable('clients').onDelete('CASCADE');
      table.string('tag', 100).notNullable();
      table.primary(['client_id', 'tag']);
      table.index(['tag', 'client_id'], 'client_tags_tag_client_id_idx');
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('client_tags');
    await knex.schema.dropTable('clients');
  },
};
