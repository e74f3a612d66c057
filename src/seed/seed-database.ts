import type { Database } from '../db/open-database';
import { BulkWriter, type WrittenCounts } from '../transfer/bulk-writer';
import type { RecordCounts } from '../transfer/format';
import { DemoDataGenerator, type DemoDataOptions } from './demo-data';

interface SeedOptions extends DemoDataOptions {
  /** Add to a database that already has clients instead of refusing. */
  append?: boolean;
  onProgress?: (written: Readonly<WrittenCounts>) => void;
}

/** The database already holds clients and the caller did not ask to append. */
export class SeedRefusedError extends Error {}

/**
 * Writes demo data straight into the tables in one transaction: either all of it lands or none
 * (an interrupted seed leaves the database as it was). The services would cost a statement or
 * three per record; batched multi-row inserts are what makes a million exchanges take seconds.
 */
export async function seedDatabase(
  database: Pick<Database, 'knex' | 'sql' | 'dialect' | 'tools'>,
  options: SeedOptions,
): Promise<RecordCounts> {
  const { knex, sql, dialect, tools } = database;
  try {
    const written = await sql.transaction(async (session) => {
      if (!options.append && (await session.firstValues('SELECT id FROM clients LIMIT 1'))) {
        throw new SeedRefusedError('the database already has clients; pass --append to add demo data to them');
      }
      const writer = new BulkWriter(session, dialect, tools, { onFlush: options.onProgress });
      const generator = new DemoDataGenerator(options);
      for (const client of generator.clients()) await writer.addClient(client);
      for (const exchange of generator.exchanges()) await writer.addExchange(exchange);
      // Demo records are written below the services: no history entry, nothing in the trash.
      const { clients, exchanges } = await writer.flush();
      return { clients, exchanges };
    });
    // The rows are committed by now; statistics only speed up the queries that follow.
    await tools.refreshPlannerStatistics(knex).catch(() => undefined);
    return written;
  } catch (error) {
    if (dialect.classifyError(error) === 'unique_violation') {
      throw new SeedRefusedError(`seed "${options.seed}" was already used on this database (same ids); choose another --seed to append`);
    }
    throw error;
  }
}
