import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import { TransactionScopeError } from '../../src/repositories/transaction-scope';
import { joinedUnitOfWork, type Repositories } from '../../src/repositories/unit-of-work';
import { createdEntry, makeClient } from '../factories/records';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

/** Production runs without the scope tracking (no async hooks): transactions keep every promise they make. */
describe.each(testBackends())('unit of work without scope tracking on %s', (backend) => {
  const db = useMigratedScratchDatabase(backend);

  it('commits, rolls back, joins explicitly and refuses a finished transaction’s repositories', async () => {
    const { database } = db;
    // A fresh database: this is the first unit of work on its executor, so it decides the tracking.
    const uow = new SqlUnitOfWork(database.sql, database.dialect, { checkTransactionScope: false });
    const [kept, lost] = [makeClient(), makeClient()];
    let finished: Repositories | undefined;
    await uow.transaction(async (repos) => {
      await joinedUnitOfWork(repos).transaction((inner) => inner.clients.insert(kept, createdEntry(kept)));
      finished = repos;
    });
    await expect(
      uow.transaction(async (repos) => {
        await repos.clients.insert(lost, createdEntry(lost));
        throw new Error('fails after the insert');
      }),
    ).rejects.toThrow('fails after the insert');
    expect(await uow.repositories.clients.findById(kept.id)).toEqual(kept);
    expect(await uow.repositories.clients.findById(lost.id)).toBeNull();
    await expect(finished?.clients.findById(kept.id)).rejects.toBeInstanceOf(TransactionScopeError);
  });
});
