import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { createScratchDatabase, testBackends, type Backend } from '../support/test-databases';

/** Where the repository ports are implemented: in memory, or over one of the SQL backends. */
export type Tier = 'memory' | Backend;

/** The memory tier always, and the SQL backends this run covers (TEST_BACKENDS). */
export function testTiers(): Tier[] {
  return ['memory', ...testBackends()];
}

export interface OpenedUnitOfWork {
  readonly uow: UnitOfWork;
  /** Closes and removes whatever holds the data. */
  close(): Promise<void>;
}

/** A unit of work over a fresh, empty store of the tier (a migrated scratch database for SQL). */
export async function openUnitOfWork(tier: Tier): Promise<OpenedUnitOfWork> {
  if (tier === 'memory') return { uow: new InMemoryUnitOfWork(), close: async () => undefined };
  const scratch = await createScratchDatabase(tier);
  const database = scratch.open();
  try {
    await database.migrator.up();
  } catch (error) {
    await database.close();
    await scratch.drop();
    throw error;
  }
  return {
    uow: new SqlUnitOfWork(database.sql, database.dialect),
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}
