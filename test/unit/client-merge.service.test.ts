import { v7 as uuidv7 } from 'uuid';
import type { Client } from '../../src/domain/client';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '../../src/domain/errors';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { ClientMergeService } from '../../src/services/client-merge.service';
import { clientFields } from '../factories/clients';
import { inMemoryServices, TestClock, type Services } from '../factories/services';

function setUp(uow: UnitOfWork = new InMemoryUnitOfWork()) {
  const clock = new TestClock();
  const services = inMemoryServices(uow, clock);
  return { ...services, merges: new ClientMergeService(uow, clock.now) };
}

/** A client's history as [version, action] pairs, newest first. */
async function actions(services: Services, type: 'client' | 'exchange', id: string) {
  return (await services.history.list(type, id, { limit: 100 })).data.map((entry) => [entry.version, entry.action]);
}

/** Everything a refused merge must leave as it was. */
async function snapshot(services: Services, clients: readonly Client[]) {
  const state = [];
  for (const client of clients) {
    const live = await services.uow.repositories.clients.findById(client.id);
    const trashed = await services.uow.repositories.clients.findInTrash(client.id);
    const timeline = live ? (await services.exchanges.timeline(client.id, { limit: 100, sort: '-occurredAt' })).data : [];
    state.push({ live, trashed, timeline, history: await actions(services, 'client', client.id) });
  }
  return state;
}

describe('ClientMergeService (on the in-memory tier)', () => {
  it('moves the exchanges, fills the survivor, trashes the sources, with a merged entry on every record', async () => {
    const services = setUp();
    const { clients, exchanges, merges, clock, history } = services;
    const survivor = await clients.create(clientFields({ name: 'Hélène', email: null, phone: null, tags: ['vip'] }), 'alice');
    const first = await clients.create(clientFields({ email: 'helene@example.fr', phone: null, tags: ['paris'] }));
    const second = await clients.create(clientFields({ email: 'other@example.fr', phone: '06 12 34 56 78', tags: ['vip', 'b2b'] }));
    const kept = await exchanges.create(survivor.id, { kind: 'call', subject: 'Own' });
    const moved = await exchanges.create(first.id, { kind: 'note', body: 'From the first' });
    const alsoMoved = await exchanges.create(second.id, { kind: 'email', subject: 'From the second' });
    clock.advance(1000);

    const merged = await merges.merge({ survivorId: survivor.id, sourceIds: [first.id, second.id], expectedVersion: 1, actor: 'bob' });

    expect(merged).toEqual({
      ...survivor,
      email: 'helene@example.fr',
      phone: '06 12 34 56 78',
      tags: ['vip', 'paris', 'b2b'],
      updatedAt: clock.now(),
      version: 2,
    });
    expect(await clients.get(survivor.id)).toEqual(merged);
    const timeline = (await exchanges.timeline(survivor.id, { limit: 10, sort: '-occurredAt' })).data;
    expect(timeline.map((exchange) => exchange.id).sort()).toEqual([kept.id, moved.id, alsoMoved.id].sort());
    expect(await exchanges.get(moved.id)).toEqual({ ...moved, clientId: survivor.id, version: 2, updatedAt: clock.now() });
    expect(await exchanges.get(kept.id)).toEqual(kept);

    const [entry] = (await history.list('client', survivor.id, { limit: 1 })).data;
    expect(entry).toEqual({
      recordType: 'client',
      recordId: survivor.id,
      version: 2,
      action: 'merged',
      at: clock.now(),
      actor: 'bob',
      changes: {
        mergedFrom: { from: null, to: [first.id, second.id] },
        email: { from: null, to: 'helene@example.fr' },
        phone: { from: null, to: '06 12 34 56 78' },
        tags: { from: ['vip'], to: ['vip', 'paris', 'b2b'] },
      },
    });
    const [exchangeEntry] = (await history.list('exchange', moved.id, { limit: 1 })).data;
    expect(exchangeEntry).toMatchObject({
      version: 2,
      action: 'merged',
      actor: 'bob',
      changes: { clientId: { from: first.id, to: survivor.id } },
    });
    for (const source of [first, second]) {
      await expect(clients.get(source.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await actions(services, 'client', source.id)).toEqual([
        [2, 'merged'],
        [1, 'created'],
      ]);
    }
    expect((await services.trash.list({ limit: 10 })).data.map((item) => item.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('restores a merged source without its exchanges: they stay with the survivor', async () => {
    const { clients, exchanges, merges } = setUp();
    const survivor = await clients.create(clientFields());
    const source = await clients.create(clientFields());
    const exchange = await exchanges.create(source.id, { kind: 'call', subject: 'Moved' });
    await merges.merge({ survivorId: survivor.id, sourceIds: [source.id] });
    const restored = await clients.restore(source.id);
    expect(restored.version).toBe(3);
    expect((await exchanges.timeline(source.id, { limit: 10, sort: '-occurredAt' })).data).toEqual([]);
    expect((await exchanges.get(exchange.id)).clientId).toBe(survivor.id);
  });

  it('refuses, changing nothing: unknown or trashed survivor, stale If-Match, unknown, trashed, repeated or self sources', async () => {
    const services = setUp();
    const { clients, exchanges, merges } = services;
    const survivor = await clients.create(clientFields());
    const source = await clients.create(clientFields());
    const trashed = await clients.create(clientFields());
    await exchanges.create(source.id, { kind: 'call', subject: 'Stays' });
    await clients.delete(trashed.id);
    const before = await snapshot(services, [survivor, source, trashed]);
    const unknown = uuidv7();

    const refusals: [Parameters<ClientMergeService['merge']>[0], unknown][] = [
      [{ survivorId: unknown, sourceIds: [source.id] }, new NotFoundError('Client', unknown)],
      [{ survivorId: trashed.id, sourceIds: [source.id] }, new NotFoundError('Client', trashed.id)],
      [{ survivorId: survivor.id, sourceIds: [source.id], expectedVersion: 7 }, new VersionConflictError(7, 1)],
      [{ survivorId: survivor.id, sourceIds: [source.id, unknown] }, expect.any(ValidationError)],
      [{ survivorId: survivor.id, sourceIds: [source.id, trashed.id] }, expect.any(ConflictError)],
      [{ survivorId: survivor.id, sourceIds: [source.id, source.id] }, expect.any(ValidationError)],
      [{ survivorId: survivor.id, sourceIds: [survivor.id] }, expect.any(ValidationError)],
    ];
    for (const [request, error] of refusals) await expect(merges.merge(request)).rejects.toEqual(error);
    await expect(merges.merge({ survivorId: survivor.id, sourceIds: [source.id, unknown] })).rejects.toMatchObject({
      errors: [{ path: 'sources.1', message: `no client has the id ${unknown}` }],
    });
    await expect(merges.merge({ survivorId: survivor.id, sourceIds: [trashed.id] })).rejects.toThrow(/in the trash/);
    expect(await snapshot(services, [survivor, source, trashed])).toEqual(before);
  });

  it('rolls everything back when a write fails half-way: no exchange moved, survivor unchanged, no source trashed', async () => {
    const inner = new InMemoryUnitOfWork();
    let trashes = 0;
    // The second source's move to the trash fails after the exchanges moved and the survivor changed.
    const failing: UnitOfWork = {
      repositories: inner.repositories,
      transaction: (work) =>
        inner.transaction((repos) =>
          work({
            ...repos,
            clients: Object.assign(Object.create(repos.clients), {
              trash: async (...args: Parameters<typeof repos.clients.trash>) => {
                trashes += 1;
                if (trashes === 2) throw new Error('disk full');
                return repos.clients.trash(...args);
              },
            }),
          }),
        ),
    };
    const services = setUp(failing);
    const { clients, exchanges, merges } = services;
    const survivor = await clients.create(clientFields({ email: null }));
    const sources = [await clients.create(clientFields()), await clients.create(clientFields())];
    for (const source of sources) await exchanges.create(source.id, { kind: 'call', subject: 'Mine' });
    const before = await snapshot(services, [survivor, ...sources]);
    await expect(merges.merge({ survivorId: survivor.id, sourceIds: sources.map((s) => s.id) })).rejects.toThrow('disk full');
    expect(trashes).toBe(2);
    expect(await snapshot(services, [survivor, ...sources])).toEqual(before);
  });
});
