import type { Database } from '../db/open-database';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  storage: { driver: 'sqlite' | 'postgres'; persistent: boolean; location: string; reason: string };
  migrations: { applied: number; pending: number; current: string | null } | null;
  warnings: string[];
}

/**
 * What /health and `crm doctor` report. The location is the redacted one: a PostgreSQL
 * password never leaves the process.
 */
export async function checkHealth(database: Database, warnings: readonly string[]): Promise<HealthReport> {
  const { target } = database;
  const storage = { driver: target.driver, persistent: target.persistent, location: target.location, reason: target.reason };
  try {
    await database.ping();
    const status = await database.migrator.status();
    return {
      status: 'ok',
      storage,
      migrations: { applied: status.applied.length, pending: status.pending.length, current: status.applied.at(-1) ?? null },
      warnings: [...warnings, ...(status.pending.length > 0 ? [`${status.pending.length} migration(s) pending`] : [])],
    };
  } catch {
    return { status: 'unavailable', storage, migrations: null, warnings: [...warnings] };
  }
}
