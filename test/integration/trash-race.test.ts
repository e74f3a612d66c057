import { SqlClientRepository } from '../../src/db/adapters/sql-client.repository';
import { SqlExchangeRepository } from '../../src/db/adapters/sql-exchange.repository';
import { createdEntry, makeClient, makeExchange } from '../factories/records';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

const describeOnPostgres = testBackends().includes('postgres') ? describe : describe.skip;

/**
 * A client moved to the trash while another transaction adds an exchange to it: the move waits
 * for the other transaction's lock on the client row, and its snapshot predates that exchange.
 * Nothing may vanish: the exchange must end up in the trash with its client.
 */
describeOnPostgres('trashing a client while an exchange is being added to it (PostgreSQL)', () => {
  const db = useMigratedScratchDatabase('postgres');

  it('takes the late exchange to the trash too', async () => {
    const { database } = db;
    const clients = new SqlClientRepository(database.sql, database.dialect);
    const client = makeClient();
    await clients.insert(client, createdEntry(client));
    const late = makeExchange(client.id);
    let trashed: Promise<boolean> | undefined;
    await database.sql.transaction(async (session) => {
      await new SqlExchangeRepository(session, database.dialect).insert(late, createdEntry(late));
      // On another connection; it waits for this transaction's key-share lock on the client.
      trashed = clients.trash(client.id, undefined, { at: '2026-03-01T00:00:00.000Z', actor: 'race' });
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await trashed).toBe(true);
    const exchanges = new SqlExchangeRepository(database.sql, database.dialect);
    expect(await exchanges.findById(late.id)).toBeNull();
    expect(await exchanges.findInTrash(late.id)).toMatchObject({ withClient: true, exchange: { id: late.id, version: 2 } });
    expect(await clients.restore(client.id, { at: '2026-03-02T00:00:00.000Z', actor: 'race' })).toMatchObject({ version: 3 });
    expect(await exchanges.findById(late.id)).toMatchObject({ id: late.id, version: 3 });
  });
});
