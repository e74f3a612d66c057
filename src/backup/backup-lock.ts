import type { Database } from '../db/open-database';

/** Held while one instance takes a backup; released when it is done. */
export interface BackupLock {
  release(): Promise<void>;
}

/** Arbitrary but fixed, distinct from the migration lock's key: "crm-back" in ASCII, folded. */
const BACKUP_ADVISORY_LOCK_KEY = 0x63726d62;

/**
 * Several instances may share one PostgreSQL database and each runs the schedule: a session
 * advisory lock, tried and never waited for, lets one of them take a given backup while the
 * others skip it. The lock lives on a connection borrowed from the pool for the backup's length,
 * and PostgreSQL frees it with that connection if the process dies. SQLite has one server per
 * file, whose schedule never overlaps itself: nothing to lock.
 */
export async function tryBackupLock(database: Pick<Database, 'target' | 'connect'>): Promise<BackupLock | null> {
  if (database.target.driver !== 'postgres') return { release: async () => {} };
  const lent = await database.connect();
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
}
