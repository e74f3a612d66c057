import type { DialectTools } from './dialect-tools';
import { sqliteBulkInsert } from './sqlite-bulk-insert';

const MIGRATION_LOCK_TABLE = 'crm_migration_lock';

export const sqliteTools: DialectTools = {
  name: 'sqlite',

  async withMigrationLock(knex, fn) {
    await knex.raw(`CREATE TABLE IF NOT EXISTS ${MIGRATION_LOCK_TABLE} (id INTEGER PRIMARY KEY, locked_at TEXT)`);
    return knex.transaction(async (trx) => {
      // Writing first turns the deferred BEGIN into an exclusive writer before anything is read:
      // a second process blocks here (busy timeout) and then sees the finished migrations. The
      // lock lives and dies with the transaction, so a killed process leaves nothing behind.
      await trx.raw(`INSERT OR REPLACE INTO ${MIGRATION_LOCK_TABLE} (id, locked_at) VALUES (1, ?)`, [new Date().toISOString()]);
      return fn(trx);
    });
  },

  // One server per file, whose schedule never overlaps itself: nothing to lock.
  tryBackupLock: async () => ({ release: async () => undefined }),

  bulkInsert: sqliteBulkInsert,

  // In WAL mode a transaction's first read fixes its snapshot until it ends; knex would only
  // warn about an isolation level or read-only flag, which SQLite infers by itself.
  readSnapshot: (knex, fn) => knex.transaction(fn),

  async refreshPlannerStatistics() {
    // Nothing: the app's SQLite plans are chosen (and measured) without sqlite_stat1, and
    // ANALYZE would let a later statistics change swap them behind our back.
  },

  async databaseSize(knex) {
    const [pages] = await knex.raw('PRAGMA page_count');
    const [size] = await knex.raw('PRAGMA page_size');
    return Number(pages?.page_count ?? 0) * Number(size?.page_size ?? 0);
  },

  async integrityCheck(knex) {
    const rows: Array<{ integrity_check: string }> = await knex.raw('PRAGMA integrity_check');
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  },

  async beforeClose(knex) {
    await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  },
};
