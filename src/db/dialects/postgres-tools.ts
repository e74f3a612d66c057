import type { DialectTools } from './dialect-tools';
import { postgresBulkInsert } from './postgres-bulk-insert';

/** Arbitrary but fixed: every instance of this app must agree on it. ("crm-migr" in ASCII.) */
const MIGRATION_ADVISORY_LOCK_KEY = 0x63726d2d;
/** Fixed too, and distinct from the migration lock's key ("crm-back" in ASCII, folded). */
const BACKUP_ADVISORY_LOCK_KEY = 0x63726d62;

export const postgresTools: DialectTools = {
  name: 'postgres',

  withMigrationLock(knex, fn) {
    return knex.transaction(async (trx) => {
      // A transaction-level advisory lock on the migration's own connection: a second instance
      // waits here until the first commits, then sees its migrations; no extra connection, and
      // PostgreSQL frees the lock with the transaction, even if this process is killed.
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [MIGRATION_ADVISORY_LOCK_KEY]);
      return fn(trx);
    });
  },

  // Several instances may share one database and each runs the backup schedule: a session
  // advisory lock, tried and never waited for, lets one of them take a given backup while the
  // others skip it; PostgreSQL frees it with the connection if the process dies.
  async tryBackupLock(connect) {
    const lent = await connect();
    if (lent.driver !== 'postgres') throw new Error('expected a PostgreSQL connection');
    try {
      const result = await lent.connection.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        BACKUP_ADVISORY_LOCK_KEY,
      ]);
      if (result.rows[0]?.locked !== true) {
        await lent.release();
        return null;
      }
    } catch (error) {
      await lent.release();
      throw error;
    }
    return {
      async release() {
        try {
          await lent.connection.query('SELECT pg_advisory_unlock($1)', [BACKUP_ADVISORY_LOCK_KEY]);
        } finally {
          await lent.release();
        }
      },
    };
  },

  bulkInsert: postgresBulkInsert,

  // READ COMMITTED would let each batch see rows committed after the previous one.
  readSnapshot: (knex, fn) => knex.transaction(fn, { isolationLevel: 'repeatable read', readOnly: true }),

  // Autovacuum analyzes new rows eventually, or never where it is off; until then the planner
  // guesses, and at 1,000,000 clients a search planned without statistics took 109 ms, not 0.4.
  async refreshPlannerStatistics(knex) {
    await knex.raw('ANALYZE');
  },

  async databaseSize(knex) {
    const result = await knex.raw('SELECT pg_database_size(current_database()) AS size');
    return Number(result.rows[0]?.size ?? 0);
  },

  async integrityCheck() {
    // PostgreSQL has no cheap whole-database check; amcheck needs an extension and superuser.
    return [];
  },

  async beforeClose() {
    // Nothing to flush: committed transactions are already durable in the WAL.
  },
};
