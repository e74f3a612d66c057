import type { Knex } from 'knex';
import { timestampColumn, type Migration } from './migration';

/**
 * CSV import jobs: an upload waits as a pending job (its decoded text kept until the commit,
 * so a preview survives a restart) for a day; a commit records each client it created or
 * updated, with the values an update replaced, so the import can be undone.
 */
export const importJobs: Migration = {
  name: '0010_import_jobs',
  async up(knex: Knex) {
    await knex.schema.createTable('import_jobs', (table) => {
      table.uuid('id').primary();
      table.string('status', 16).notNullable().checkIn(['pending', 'committed', 'undone', 'expired'], 'import_jobs_status_check');
      // The decoded CSV; dropped once committed or expired.
      table.text('source').nullable();
      table.string('encoding', 16).notNullable();
      table.string('delimiter', 4).notNullable();
      table.text('columns').notNullable();
      table.text('mapping').notNullable();
      table.text('preview').notNullable();
      table.integer('row_count').notNullable();
      timestampColumn(table, 'created_at').notNullable();
      timestampColumn(table, 'expires_at').notNullable();
      timestampColumn(table, 'committed_at').nullable();
      timestampColumn(table, 'undone_at').nullable();
      table.text('result').nullable();
      table.text('undo').nullable();
      // The purge looks for pending uploads past their expiry.
      table.index(['status', 'expires_at'], 'import_jobs_status_expires_at_idx');
    });
    await knex.schema.createTable('import_job_changes', (table) => {
      table.uuid('job_id').notNullable().references('id').inTable('import_jobs').onDelete('CASCADE');
      // No foreign key: a client may be deleted for good after the import; the undo reports it.
      table.uuid('client_id').notNullable();
      table.string('kind', 16).notNullable().checkIn(['created', 'updated'], 'import_job_changes_kind_check');
      table.text('before').nullable();
      table.integer('version_after').notNullable();
      table.primary(['job_id', 'client_id']);
    });
  },
  async down(knex: Knex) {
    await knex.schema.dropTable('import_job_changes');
    await knex.schema.dropTable('import_jobs');
  },
};
