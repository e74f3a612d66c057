import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import type { ClientListQuery } from '../../src/repositories/client.repository';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { seedDatabase } from '../../src/seed/seed-database';
import { clientCsvStream, matchingClients } from '../../src/services/client-csv-export';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

/**
 * The export's walk over the clients: pages read as the reader asks for them, and none once the
 * reader has gone (an HTTP client that disconnects destroys the stream).
 */
describe.each(testBackends())('client CSV export walk on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend, 'all');
  let pagesRead: number;
  let uow: UnitOfWork;

  beforeAll(async () => {
    await seedDatabase(scratch.database, { clients: 2000, exchanges: 0, seed: 'csv-walk' });
  });
  beforeEach(() => {
    pagesRead = 0;
    const real = new SqlUnitOfWork(scratch.database.sql, scratch.database.dialect);
    // The real repository, counted: the pages are real queries on the real database.
    const clients = real.repositories.clients;
    const counted = Object.create(clients) as typeof clients;
    counted.list = (query: ClientListQuery) => {
      pagesRead += 1;
      return clients.list(query);
    };
    uow = { repositories: { ...real.repositories, clients: counted }, transaction: (work) => real.transaction(work) };
  });

  it('reads every page when the whole stream is consumed', async () => {
    const stream = clientCsvStream(matchingClients(uow, { sort: 'name' }, 100), 'comma');
    let lines = 0;
    for await (const chunk of stream) lines += (chunk as Buffer).toString('utf8').split('\r\n').length - 1;
    expect(lines).toBe(2001);
    expect(pagesRead).toBe(20);
  });

  it('stops reading pages when the reader goes away after the first chunk', async () => {
    const stream = clientCsvStream(matchingClients(uow, { sort: '-createdAt' }, 100), 'semicolon');
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterDestroy = pagesRead;
    expect(afterDestroy).toBeGreaterThan(0);
    // Backpressure: no more than the stream buffers ahead (16 KiB, a few hundred rows) was read.
    expect(afterDestroy).toBeLessThan(6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pagesRead).toBe(afterDestroy);
  });
});
