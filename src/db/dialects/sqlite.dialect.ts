import {
  createSqliteClientSearchIndex,
  createSqliteClientSearchScanIndex,
  dropSqliteClientSearchIndex,
  dropSqliteClientSearchScanIndex,
  sqliteClientSearchCondition,
} from './sqlite-client-search';
import { toIsoTimestamp, type Dialect } from './dialect';
import { SQLITE_BUSY_TIMEOUT_MS } from '../create-knex';
import { sqliteBulkInsert } from './sqlite-bulk-insert';
import { createSqliteSqlExecutor } from './sqlite-sql-executor';

export const MIGRATION_LOCK_TABLE = 'crm_migration_lock';

export const sqliteDialect: Dialect = {
  name: 'sqlite',

  clientSearchCondition: sqliteClientSearchCondition,
  createClientSearchIndex: createSqliteClientSearchIndex,
  dropClientSearchIndex: dropSqliteClientSearchIndex,
  createClientSearchScanIndex: createSqliteClientSearchScanIndex,
  dropClientSearchScanIndex: dropSqliteClientSearchScanIndex,
  // SQLite keeps no statistics on search_text: the app picks the search plan itself (the probe).
  raiseClientSearchStatistics: async () => undefined,
  resetClientSearchStatistics: async () => undefined,

  createSqlExecutor(_knex, settings) {
    if (!settings.path) throw new Error('an SQLite SQL client needs the database path');
    return createSqliteSqlExecutor({ path: settings.path, synchronous: settings.sqliteSynchronous, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS });
  },

  // SQLite's default BINARY collation already compares UTF-8 bytes.
  bytewiseTextType: (length) => `varchar(${length})`,

  async withMigrationLock(knex, fn) {
    await knex.raw(`CREATE TABLE IF NOT EXISTS ${MIGRATION_LOCK_TABLE} (id INTEGER PRIMARY KEY, locked_at TEXT)`);
    return knex.transaction(async (trx) => {
      // Writing first turns the deferred BEGIN into an exclusive writer before anything is read:
      // a second process blocks here (busy timeout) and then sees the finished migrations. The
      // lock lives and dies with the transaction, so a killed process leaves nothing behind.
      await trx.raw(`INSERT OR REPLACE INTO ${MIGRATION_LOCK_TABLE} (id, locked_at) VALUES (1, ?)`, [
        new Date().toISOString(),
      ]);
      return fn(trx);
    });
  },

  // Stored as TEXT in one fixed-width ISO form, so text order is time order.
  toDbTimestamp: (iso) => new Date(iso).toISOString(),
  // Values written by this app are already canonical; anything else is parsed.
  fromDbTimestamp: (value) => (typeof value === 'string' && value.length === 24 && value.endsWith('Z') ? value : toIsoTimestamp(value)),

  classifyError(error) {
    const code = (error as { code?: string } | null)?.code ?? '';
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return 'unique_violation';
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key_violation';
    return null;
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

  async refreshPlannerStatistics() {
    // Nothing: the app's SQLite plans are chosen (and measured) without sqlite_stat1, and
    // ANALYZE would let a later statistics change swap them behind our back.
  },

  async beforeClose(knex) {
    await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  },

  bulkInsert: sqliteBulkInsert,

  // In WAL mode a transaction's first read fixes its snapshot until it ends; knex would only
  // warn about an isolation level or read-only flag, which SQLite infers by itself.
  readSnapshot: (knex, fn) => knex.transaction(fn),
};
