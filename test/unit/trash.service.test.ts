import { v7 as uuidv7 } from 'uuid';
import { ConflictError, InvalidParameterError, NotFoundError, VersionConflictError } from '../../src/domain/errors';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { TrashRepository } from '../../src/repositories/trash.repository';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { PURGE_BATCH } from '../../src/services/trash.service';
import { clientFields } from '../factories/clients';
import { inMemoryServices, TestClock } from '../factories/services';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The history of a record as [version, action] pairs, newest first. */
async function actions(services: ReturnType<typeof inMemoryServices>, type: 'client' | 'exchange', id: string) {
  return (await services.history.list(type, id, { limit: 100 })).data.map((entry) => [entry.version, entry.action]);
}

describe('restore (on the in-memory tier)', () => {
  it('brings a trashed client back with its exchanges at a new version; a live one is answered as it is', async () => {
    const services = inMemoryServices();
    const { clients, exchanges, clock } = services;
    const client = await clients.create(clientFields({ tags: ['vip'] }));
    const exchange = await exchanges.create(client.id, { kind: 'note', body: 'met at the fair' });
    clock.advance(1000);
    await clients.delete(client.id, 1, 'alice');
    await expect(clients.get(client.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(exchanges.get(exchange.id)).rejects.toBeInstanceOf(NotFoundError);
    clock.advance(1000);
    const restored = await clients.restore(client.id, 'bob');
    expect(restored).toEqual({ ...client, version: 3, updatedAt: clock.now() });
    expect(await exchanges.get(exchange.id)).toEqual({ ...exchange, version: 3, updatedAt: clock.now() });
    // Retried: the same answer, nothing written.
    clock.advance(1000);
    expect(await clients.restore(client.id, 'bob')).toEqual(restored);
    expect(await actions(services, 'client', client.id)).toEqual([
      [3, 'restored'],
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect((await services.history.list('client', client.id, { limit: 2 })).data.map((entry) => entry.actor)).toEqual(['bob', 'alice']);
  });

  it('answers 404 for unknown and purged records', async () => {
    const { clients, exchanges } = inMemoryServices();
    await expect(clients.restore(uuidv7())).rejects.toBeInstanceOf(NotFoundError);
    await expect(exchanges.restore(uuidv7())).rejects.toBeInstanceOf(NotFoundError);
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'call', subject: 'Intro' });
    await exchanges.delete(exchange.id, undefined, null, true);
    await expect(exchanges.restore(exchange.id)).rejects.toEqual(new NotFoundError('Exchange', exchange.id));
    await clients.delete(client.id);
    await clients.delete(client.id, undefined, null, true);
    await expect(clients.restore(client.id)).rejects.toEqual(new NotFoundError('Client', client.id));
  });

  it('refuses with a conflict an exchange whose client is in the trash, whether it went with it or before', async () => {
    const { clients, exchanges, clock } = inMemoryServices();
    const client = await clients.create(clientFields());
    const before = await exchanges.create(client.id, { kind: 'call', subject: 'Deleted first' });
    const together = await exchanges.create(client.id, { kind: 'call', subject: 'Went with it' });
    await exchanges.delete(before.id);
    await clients.delete(client.id);
    await expect(exchanges.restore(before.id)).rejects.toBeInstanceOf(ConflictError);
    await expect(exchanges.restore(together.id)).rejects.toBeInstanceOf(ConflictError);
    // The client brings back the one that went with it; the other comes back on its own after.
    await clients.restore(client.id);
    expect(await exchanges.get(together.id)).toMatchObject({ version: 3 });
    await expect(exchanges.get(before.id)).rejects.toBeInstanceOf(NotFoundError);
    clock.advance(5);
    expect(await exchanges.restore(before.id)).toEqual({ ...before, version: 3, updatedAt: clock.now() });
    // A live exchange: answered as it is.
    expect(await exchanges.restore(before.id)).toEqual({ ...before, version: 3, updatedAt: clock.now() });
  });
});

describe('delete (on the in-memory tier)', () => {
  it('deletes for good at once with a retention of 0 days, history kept', async () => {
    const services = inMemoryServices(new InMemoryUnitOfWork(), new TestClock(), { retentionDays: 0 });
    const { clients, exchanges, trash } = services;
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'call', subject: 'Intro' });
    const other = await exchanges.create(client.id, { kind: 'call', subject: 'Second' });
    await expect(exchanges.delete(exchange.id, 2)).rejects.toEqual(new VersionConflictError(2, 1));
    await exchanges.delete(exchange.id, 1);
    await clients.delete(client.id, 1);
    expect(await trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
    expect((await trash.list({ limit: 10 })).data).toEqual([]);
    expect(await services.uow.repositories.clients.findInTrash(client.id)).toBeNull();
    await expect(exchanges.get(other.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(clients.restore(client.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await actions(services, 'client', client.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await actions(services, 'exchange', exchange.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    await expect(clients.delete(client.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes a trashed record for good only when asked to, If-Match checked against its trashed version', async () => {
    const { clients, exchanges, uow } = inMemoryServices();
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'email', subject: 'Offer' });
    await exchanges.delete(exchange.id);
    await clients.delete(client.id, 1);
    await expect(clients.delete(client.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(clients.delete(client.id, 1, null, true)).rejects.toEqual(new VersionConflictError(1, 2));
    await expect(exchanges.delete(exchange.id, 1, null, true)).rejects.toEqual(new VersionConflictError(1, 2));
    await exchanges.delete(exchange.id, 2, null, true);
    await clients.delete(client.id, 2, null, true);
    expect(await uow.repositories.clients.findInTrash(client.id)).toBeNull();
    expect(await uow.repositories.exchanges.findInTrash(exchange.id)).toBeNull();
    await expect(clients.delete(client.id, undefined, null, true)).rejects.toBeInstanceOf(NotFoundError);
  });
});

/** The unit of work with the trash's purgeBefore counted. */
function countingPurges(inner: UnitOfWork): { uow: UnitOfWork; batches: number[] } {
  const batches: number[] = [];
  const trash = inner.repositories.trash;
  const counted: TrashRepository = {
    list: (query) => trash.list(query),
    stats: () => trash.stats(),
    async purgeBefore(cutoff, limit) {
      const removed = await trash.purgeBefore(cutoff, limit);
      batches.push(removed);
      return removed;
    },
  };
  return { uow: { repositories: { ...inner.repositories, trash: counted }, transaction: (work) => inner.transaction(work) }, batches };
}

describe('TrashService (on the in-memory tier)', () => {
  it('lists newest deletions first with their purge date, page after page, filtered by type', async () => {
    const { clients, exchanges, trash, clock } = inMemoryServices(new InMemoryUnitOfWork(), new TestClock(), { retentionDays: 7 });
    const live = await clients.create(clientFields());
    // Each client and exchange trashed at the same instant: a tie, broken by id (descending).
    const pairs: string[][] = [];
    for (let i = 0; i < 3; i += 1) {
      const client = await clients.create(clientFields());
      await exchanges.create(client.id, { kind: 'note', body: 'goes with its client' });
      const exchange = await exchanges.create(live.id, { kind: 'note', body: `alone ${i}` });
      clock.advance(1000);
      await clients.delete(client.id);
      await exchanges.delete(exchange.id);
      pairs.unshift([client.id, exchange.id].sort().reverse());
    }
    const newestFirst = pairs.flat();
    const first = await trash.list({ limit: 4 });
    expect(first.data.map((item) => item.id)).toEqual(newestFirst.slice(0, 4));
    for (const item of first.data) expect(Date.parse(item.purgeAt) - Date.parse(item.deletedAt)).toBe(7 * DAY_MS);
    expect(first.nextCursor).not.toBeNull();
    const second = await trash.list({ limit: 4, cursor: first.nextCursor ?? undefined });
    expect(second.data.map((item) => item.id)).toEqual(newestFirst.slice(4));
    expect(second.nextCursor).toBeNull();
    const clientsOnly = await trash.list({ limit: 2, type: 'client' });
    expect(clientsOnly.data.map((item) => item.type)).toEqual(['client', 'client']);
    expect(clientsOnly.data[0]).toMatchObject({ type: 'client', record: { version: 2 } });
    // A cursor continues the list it came from only.
    await expect(trash.list({ limit: 2, type: 'exchange', cursor: clientsOnly.nextCursor ?? undefined })).rejects.toBeInstanceOf(
      InvalidParameterError,
    );
  });

  it('purges what outlived the retention, batch after batch, and nothing younger', async () => {
    const inner = new InMemoryUnitOfWork();
    const { uow, batches } = countingPurges(inner);
    const { clients, exchanges, trash, clock } = inMemoryServices(uow, new TestClock(), { retentionDays: 1 });
    const count = PURGE_BATCH + 5;
    for (let i = 0; i < count; i += 1) {
      const client = await clients.create(clientFields());
      await exchanges.create(client.id, { kind: 'note', body: 'taken along' });
      await clients.delete(client.id);
    }
    clock.advance(1000);
    const younger = await clients.create(clientFields());
    await clients.delete(younger.id);

    clock.advance(DAY_MS - 1000);
    // Exactly one day old is not yet older than the retention.
    expect(await trash.purgeExpired()).toBe(0);
    clock.advance(1);
    batches.length = 0;
    expect(await trash.purgeExpired()).toBe(2 * count);
    expect(batches).toEqual([2 * PURGE_BATCH, 2 * 5, 0]);
    expect(await trash.stats()).toEqual({ clients: 1, exchanges: 0, oldestDeletedAt: expect.any(String) });
    expect((await trash.list({ limit: 10 })).data.map((item) => item.id)).toEqual([younger.id]);
    clock.advance(1000);
    expect(await trash.purgeExpired()).toBe(1);
    expect(await trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
  });
});
