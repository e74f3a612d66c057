import type { DriverConnection } from '../connections/connections';
import type { Database } from '../open-database';
import { KnexMigrationStorage, MIGRATIONS_TABLE } from '../knex-migration-storage';
import type { CopyEndpoint, TableReader, WriteSession } from './copy-endpoint';
import type { TableSpec } from './table-specs';

/**
 * What every endpoint does through Knex and the app's own migrator; the engine-specific reading
 * and writing is left to the subclass.
 */
export abstract class DatabaseEndpoint implements CopyEndpoint {
  abstract readonly driver: 'sqlite' | 'postgres';

  constructor(protected readonly database: Database) {}

  get location(): string {
    return this.database.target.location;
  }

  async recordedMigrations(): Promise<string[] | null> {
    const { knex } = this.database;
    if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return null;
    // The storage, not umzug: umzug silently drops names it does not know, and an unknown
    // name (a newer release migrated this database) is exactly what must be noticed.
    return new KnexMigrationStorage().executed({ context: knex });
  }

  migrateUp(): Promise<string[]> {
    return this.database.migrator.up();
  }

  async countRows(tables: readonly TableSpec[]): Promise<Map<string, number>> {
    const { knex } = this.database;
    const counts = new Map<string, number>();
    for (const table of tables) {
      if (!(await knex.schema.hasTable(table.name))) {
        counts.set(table.name, 0);
        continue;
      }
      const [row] = await knex(table.name).count<Array<{ n: number | string }>>({ n: '*' });
      counts.set(table.name, Number(row?.n ?? 0));
    }
    return counts;
  }

  refreshPlannerStatistics(): Promise<void> {
    return this.database.tools.refreshPlannerStatistics(this.database.knex);
  }

  abstract withSnapshot<T>(fn: (reader: TableReader) => Promise<T>): Promise<T>;
  abstract beginWrite(): Promise<WriteSession>;

  close(): Promise<void> {
    return this.database.close();
  }

  /** A driver connection of this endpoint's engine, held for the length of a snapshot or a session. */
  protected async acquire<D extends DriverConnection['driver']>(driver: D): Promise<Extract<DriverConnection, { driver: D }>> {
    const lent = await this.database.connect();
    if (lent.driver !== driver) {
      await lent.release();
      throw new Error(`a ${driver} copy endpoint was opened on a ${lent.driver} database`);
    }
    return lent as Extract<DriverConnection, { driver: D }>;
  }
}
