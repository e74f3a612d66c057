import type { DatabaseProbe } from '../services/health-check';
import type { Database } from './open-database';

/** The health-check port over an open database. */
export function databaseProbe(database: Database): DatabaseProbe {
  const { driver, persistent, location, reason } = database.target;
  return {
    // Picked field by field: the target also holds the PostgreSQL URL, password included.
    storage: { driver, persistent, location, reason },
    ping: () => database.ping(),
    migrationStatus: () => database.migrator.status(),
  };
}
