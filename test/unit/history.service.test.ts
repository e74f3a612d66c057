import { v7 as uuidv7 } from 'uuid';
import { InvalidParameterError, NotFoundError } from '../../src/domain/errors';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { clientFields } from '../factories/clients';
import { inMemoryServices } from '../factories/services';

/** The unit of work as it looks for records written before history existed: no entries at all. */
function withoutHistory(inner: UnitOfWork): UnitOfWork {
  return {
    repositories: { ...inner.repositories, history: { list: async () => ({ data: [], nextBefore: null }) } },
    transaction: (work) => inner.transaction(work),
  };
}

describe('HistoryService (on the in-memory tier)', () => {
  it('records who changed which fields, newest first', async () => {
    const { clients, exchanges, history, clock } = inMemoryServices();
    const client = await clients.create(clientFields({ name: 'Ada', email: null, tags: ['vip'] }), 'alice');
    clock.advance(1000);
    const updated = await clients.update(client.id, { name: 'Ada L.', notes: 'met twice' }, 1, 'bob');
    const exchange = await exchanges.create(client.id, { kind: 'call', subject: 'Intro' }, null);
    expect((await history.list('client', client.id, { limit: 10 })).data).toEqual([
      {
        recordType: 'client',
        recordId: client.id,
        version: 2,
        action: 'updated',
        at: updated.updatedAt,
        actor: 'bob',
        changes: { name: { from: 'Ada', to: 'Ada L.' }, notes: { from: null, to: 'met twice' } },
      },
      {
        recordType: 'client',
        recordId: client.id,
        version: 1,
        action: 'created',
        at: client.createdAt,
        actor: 'alice',
        changes: { name: { from: null, to: 'Ada' }, status: { from: null, to: 'lead' }, tags: { from: null, to: ['vip'] } },
      },
    ]);
    expect((await history.list('exchange', exchange.id, { limit: 10 })).data).toMatchObject([
      {
        version: 1,
        action: 'created',
        actor: null,
        changes: { clientId: { from: null, to: client.id }, subject: { from: null, to: 'Intro' } },
      },
    ]);
  });

  it('answers 404 for unknown ids, and reads the history of trashed and deleted records', async () => {
    const { clients, exchanges, history } = inMemoryServices();
    await expect(history.list('client', uuidv7(), { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(history.list('exchange', uuidv7(), { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'note', body: 'x' });
    // An exchange's id is not a client's.
    await expect(history.list('client', exchange.id, { limit: 10 })).rejects.toEqual(new NotFoundError('Client', exchange.id));
    await clients.delete(client.id);
    expect((await history.list('client', client.id, { limit: 10 })).data.map((entry) => entry.action)).toEqual(['deleted', 'created']);
    await clients.delete(client.id, undefined, null, true);
    expect((await history.list('client', client.id, { limit: 10 })).data.map((entry) => entry.version)).toEqual([3, 2, 1]);
    expect((await history.list('exchange', exchange.id, { limit: 10 })).data.map((entry) => entry.action)).toEqual(['deleted', 'created']);
  });

  it('answers an empty list for a live or trashed record without entries, and 404 for an unknown one', async () => {
    const services = inMemoryServices(new InMemoryUnitOfWork());
    const { history } = inMemoryServices(withoutHistory(services.uow));
    const client = await services.clients.create(clientFields());
    const trashed = await services.clients.create(clientFields());
    await services.clients.delete(trashed.id);
    expect(await history.list('client', client.id, { limit: 10 })).toEqual({ data: [], nextCursor: null });
    expect(await history.list('client', trashed.id, { limit: 10 })).toEqual({ data: [], nextCursor: null });
    await expect(history.list('client', uuidv7(), { limit: 10 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('continues by cursor down to the first version, for that record only', async () => {
    const { clients, history } = inMemoryServices();
    const client = await clients.create(clientFields());
    const other = await clients.create(clientFields());
    for (let i = 1; i <= 4; i += 1) await clients.update(client.id, { notes: `note ${i}` });
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await history.list('client', client.id, { limit: 2, cursor });
      pages.push(page.data.map((entry) => entry.version));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);
    const first = await history.list('client', client.id, { limit: 2 });
    const foreign = { limit: 2, cursor: first.nextCursor ?? undefined };
    await expect(history.list('client', other.id, foreign)).rejects.toBeInstanceOf(InvalidParameterError);
    await expect(history.list('exchange', client.id, foreign)).rejects.toBeInstanceOf(InvalidParameterError);
    await expect(history.list('client', client.id, { limit: 2, cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(InvalidParameterError);
    // Exactly a page's worth left: the last page says so.
    expect((await history.list('client', client.id, { limit: 5 })).nextCursor).toBeNull();
  });
});
