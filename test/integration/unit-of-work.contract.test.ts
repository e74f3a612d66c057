import { v7 as uuidv7 } from 'uuid';
import { TransactionScopeError } from '../../src/repositories/transaction-scope';
import { joinedUnitOfWork, type Repositories, type UnitOfWork } from '../../src/repositories/unit-of-work';
import { changeAt, createdEntry, makeClient } from '../factories/records';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork } from '../factories/units-of-work';

/** A promise the test resolves when it chooses: holds a transaction open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** What transaction(work) promises, and what calling past it does, identical on every tier. */
describe.each(testTiers())('unit of work transactions on %s', (tier) => {
  let opened: OpenedUnitOfWork;
  let uow: UnitOfWork;
  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
    uow = opened.uow;
  });
  afterEach(async () => {
    await opened.close();
  });

  it('refuses a transaction opened inside one; an explicit join commits or rolls back with the outer one', async () => {
    const [kept, lost] = [makeClient(), makeClient()];
    await uow.transaction(async (outer) => {
      await expect(uow.transaction(async (r) => r)).rejects.toBeInstanceOf(TransactionScopeError);
      await joinedUnitOfWork(outer).transaction((inner) => inner.clients.insert(kept, createdEntry(kept)));
    });
    await expect(
      uow.transaction(async (outer) => {
        await joinedUnitOfWork(outer).transaction((inner) => inner.clients.insert(lost, createdEntry(lost)));
        expect(await outer.clients.findById(lost.id)).toEqual(lost);
        throw new Error('outer fails after the inner work succeeded');
      }),
    ).rejects.toThrow('outer fails');
    expect(await uow.repositories.clients.findById(kept.id)).toEqual(kept);
    expect(await uow.repositories.clients.findById(lost.id)).toBeNull();
  });

  it('refuses top-level repositories inside a transaction at once, for reads and writes alike', async () => {
    const inside = makeClient();
    const outside = makeClient();
    await uow.transaction(async (r) => {
      await r.clients.insert(inside, createdEntry(inside));
      // Without the guard, SQLite would wait here forever for the writer this transaction holds,
      // and PostgreSQL would answer from another connection that cannot see `inside`.
      await expect(uow.repositories.clients.findById(inside.id)).rejects.toBeInstanceOf(TransactionScopeError);
      await expect(uow.repositories.clients.insert(outside, createdEntry(outside))).rejects.toBeInstanceOf(TransactionScopeError);
      await expect(uow.repositories.exchanges.list({ limit: 1, sort: '-occurredAt', after: null })).rejects.toThrow(
        /inside transaction\(work\), use the repositories passed to work/i,
      );
      await expect(uow.repositories.idempotency.deleteExpired('2026-01-01T00:00:00.000Z')).rejects.toBeInstanceOf(TransactionScopeError);
      await expect(uow.repositories.clients.trash(inside.id, undefined, changeAt(inside.createdAt))).rejects.toBeInstanceOf(
        TransactionScopeError,
      );
      await expect(uow.repositories.history.list('client', inside.id, 10, null)).rejects.toBeInstanceOf(TransactionScopeError);
      await expect(uow.repositories.trash.list({ limit: 10, after: null })).rejects.toBeInstanceOf(TransactionScopeError);
      await expect(uow.repositories.trash.purgeBefore('2026-01-01T00:00:00.000Z', 10)).rejects.toBeInstanceOf(TransactionScopeError);
    });
    expect(await uow.repositories.clients.findById(inside.id)).toEqual(inside);
    expect(await uow.repositories.clients.findById(outside.id)).toBeNull();
    expect((await uow.repositories.history.list('client', inside.id, 10, null)).data.map((entry) => entry.action)).toEqual(['created']);
  });

  it("refuses a transaction's repositories once it has ended", async () => {
    let kept: Repositories | undefined;
    await uow.transaction(async (r) => {
      kept = r;
    });
    await expect(kept?.clients.findById(uuidv7())).rejects.toThrow(/after the transaction had ended/);
    const late = makeClient();
    await expect(kept?.clients.insert(late, createdEntry(late))).rejects.toBeInstanceOf(TransactionScopeError);
    await expect(kept?.history.list('client', late.id, 10, null)).rejects.toBeInstanceOf(TransactionScopeError);
    await expect(kept?.trash.stats()).rejects.toBeInstanceOf(TransactionScopeError);
  });

  it('lets other callers use the top-level repositories while a transaction is open, blind to its writes', async () => {
    const committed = makeClient();
    await uow.transaction((r) => r.clients.insert(committed, createdEntry(committed)));
    const uncommitted = makeClient();
    const later = makeClient();
    const hold = gate();
    const inserted = gate();
    const transaction = uow.transaction(async (r) => {
      await r.clients.insert(uncommitted, createdEntry(uncommitted));
      inserted.open();
      await hold.opened;
    });
    await inserted.opened;
    // Another request's calls: not inside the transaction, so not refused.
    expect(await uow.repositories.clients.findById(committed.id)).toEqual(committed);
    expect(await uow.repositories.clients.findById(uncommitted.id)).toBeNull();
    const write = uow.repositories.clients.insert(later, createdEntry(later));
    hold.open();
    await Promise.all([transaction, write]);
    expect(await uow.repositories.clients.findById(uncommitted.id)).toEqual(uncommitted);
    expect(await uow.repositories.clients.findById(later.id)).toEqual(later);
  });

  it('lets only one of two concurrent transactions claim an idempotency key', async () => {
    const future = '2999-01-01T00:00:00.000Z';
    const attempt = (hash: string) =>
      uow.transaction(async (r) => {
        const claimed = await r.idempotency.claim('s', 'k', hash, future);
        if (claimed) await r.idempotency.complete('s', 'k', { status: 201, body: { hash }, location: null });
        return claimed;
      });
    const outcomes = await Promise.all([attempt('h1'), attempt('h2')]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const winner = outcomes[0] ? 'h1' : 'h2';
    expect(await uow.repositories.idempotency.find('s', 'k', '2026-01-01T00:00:00.000Z')).toEqual({
      requestHash: winner,
      response: { status: 201, body: { hash: winner }, location: null },
    });
  });
});
