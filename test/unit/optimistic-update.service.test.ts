import type { Client } from '../../src/domain/client';
import { NotFoundError, VersionConflictError } from '../../src/domain/errors';
import type { ClientRepository } from '../../src/repositories/client.repository';
import { InMemoryUnitOfWork } from '../../src/repositories/in-memory/in-memory-unit-of-work';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { clientFields } from '../factories/clients';
import { inMemoryServices, type Services } from '../factories/services';

/**
 * A unit of work whose first read of the client inside a transaction returns it as it was
 * before another writer's change committed: what a service sees on PostgreSQL when a concurrent
 * transaction commits between its read and its conditional write.
 */
function withStaleFirstRead(inner: UnitOfWork, stale: Client): UnitOfWork {
  let pending = true;
  return {
    repositories: inner.repositories,
    transaction: (work) =>
      inner.transaction((repos) => {
        const clients: ClientRepository = {
          insert: (client, entry) => repos.clients.insert(client, entry),
          list: (query) => repos.clients.list(query),
          replace: (client, expectedVersion, entry) => repos.clients.replace(client, expectedVersion, entry),
          trash: (id, expectedVersion, change) => repos.clients.trash(id, expectedVersion, change),
          findInTrash: (id) => repos.clients.findInTrash(id),
          findLiveForUpdate: (ids) => repos.clients.findLiveForUpdate(ids),
          restore: (id, change) => repos.clients.restore(id, change),
          deletePermanently: (id, expectedVersion, change) => repos.clients.deletePermanently(id, expectedVersion, change),
          async findById(id) {
            if (!pending || id !== stale.id) return repos.clients.findById(id);
            pending = false;
            return stale;
          },
        };
        return work({ ...repos, clients });
      }),
  };
}

/** Another request's change, committed: the company is set, the version moves to 2. */
async function changeElsewhere(services: Services, client: Client): Promise<Client> {
  return services.clients.update(client.id, { company: 'Changed elsewhere' }, client.version);
}

describe('ClientService.update (optimistic, on the in-memory tier)', () => {
  it('applies a PATCH whose If-Match names the current version, and moves version and updatedAt', async () => {
    const { clients, clock } = inMemoryServices();
    const created = await clients.create(clientFields({ name: 'Ada' }));
    clock.advance(1000);
    const updated = await clients.update(created.id, { name: 'Ada L.' }, 1);
    expect(updated).toEqual({ ...created, name: 'Ada L.', version: 2, updatedAt: clock.now() });
    expect(await clients.get(created.id)).toEqual(updated);
  });

  it('refuses a PATCH whose If-Match names another version, changing nothing', async () => {
    const { clients } = inMemoryServices();
    const created = await clients.create(clientFields());
    await expect(clients.update(created.id, { name: 'Stale' }, 7)).rejects.toEqual(new VersionConflictError(7, 1));
    expect(await clients.get(created.id)).toEqual(created);
  });

  it('re-applies a PATCH without If-Match on top of a concurrent change: neither write is lost', async () => {
    const services = inMemoryServices();
    const created = await services.clients.create(clientFields({ name: 'Grace' }));
    await changeElsewhere(services, created);
    const racing = inMemoryServices(withStaleFirstRead(services.uow, created)).clients;
    const updated = await racing.update(created.id, { name: 'Grace H.' });
    expect(updated).toMatchObject({ name: 'Grace H.', company: 'Changed elsewhere', version: 3 });
    expect(await services.clients.get(created.id)).toEqual(updated);
  });

  it('refuses a PATCH with If-Match when a concurrent change wins the race', async () => {
    const services = inMemoryServices();
    const created = await services.clients.create(clientFields());
    const changed = await changeElsewhere(services, created);
    const racing = inMemoryServices(withStaleFirstRead(services.uow, created)).clients;
    await expect(racing.update(created.id, { name: 'Mine' }, 1)).rejects.toEqual(new VersionConflictError(1, 2));
    expect(await services.clients.get(created.id)).toEqual(changed);
  });

  it('keeps the version and updatedAt of a PATCH that changes nothing', async () => {
    const { clients, clock } = inMemoryServices();
    const created = await clients.create(clientFields({ name: 'Same', tags: ['a', 'b'] }));
    clock.advance(1000);
    expect(await clients.update(created.id, { name: 'Same', tags: ['a', 'b'] }, 1)).toEqual(created);
    expect(await clients.update(created.id, {})).toEqual(created);
    expect(await clients.get(created.id)).toEqual(created);
  });

  it('moves updatedAt forward even when the clock has not moved since the last change', async () => {
    const { clients } = inMemoryServices();
    const created = await clients.create(clientFields());
    const first = await clients.update(created.id, { notes: 'one' });
    const second = await clients.update(created.id, { notes: 'two' });
    expect([first.version, second.version]).toEqual([2, 3]);
    expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
    expect(Date.parse(first.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
  });

  it('answers NotFoundError for an unknown client', async () => {
    const { clients } = inMemoryServices(new InMemoryUnitOfWork());
    await expect(clients.update('0190c0de-0000-7000-8000-000000000000', { name: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('ClientService.delete and ExchangeService.update (on the in-memory tier)', () => {
  it('deletes at the If-Match version only, taking the exchanges along', async () => {
    const { clients, exchanges } = inMemoryServices();
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'note', body: 'met at the fair' });
    await expect(clients.delete(client.id, 2)).rejects.toEqual(new VersionConflictError(2, 1));
    await clients.delete(client.id, 1);
    await expect(exchanges.get(exchange.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(clients.delete(client.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('versions an exchange like a client: If-Match checked, a no-op PATCH keeps the version', async () => {
    const { clients, exchanges } = inMemoryServices();
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'call', subject: 'Intro' });
    await expect(exchanges.update(exchange.id, { subject: 'Late' }, 3)).rejects.toEqual(new VersionConflictError(3, 1));
    expect(await exchanges.update(exchange.id, { subject: 'Intro' }, 1)).toEqual(exchange);
    expect(await exchanges.update(exchange.id, { subject: 'Intro call' }, 1)).toMatchObject({ subject: 'Intro call', version: 2 });
  });
});
