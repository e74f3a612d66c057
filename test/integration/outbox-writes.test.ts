import { v7 as uuidv7 } from 'uuid';
import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import type { Database } from '../../src/db/open-database';
import { ClientMergeService } from '../../src/services/client-merge.service';
import { ClientService } from '../../src/services/client.service';
import { ExchangeService } from '../../src/services/exchange.service';
import { clientFields } from '../factories/clients';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

interface StoredEvent {
  type: string;
  recordId: string;
  data: Record<string, unknown>;
}

async function subscribe(database: Database, events: string[], active = true): Promise<void> {
  const now = database.dialect.toDbTimestamp(new Date().toISOString());
  await database.sql.run(
    'INSERT INTO webhooks (id, url, events, active, description, secret, created_at, updated_at, version, failing_since) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1, NULL)',
    [uuidv7(), 'https://hooks.example.com/crm', JSON.stringify(events), active ? 1 : 0, 'whsec_dGVzdA==', now, now],
  );
}

/** The outbox, oldest first, each payload parsed: what a receiver would get as `data`. */
async function outbox(database: Database): Promise<StoredEvent[]> {
  const rows = await database.sql.values('SELECT type, record_id, payload, fanned_out_at FROM webhook_events ORDER BY id');
  return rows.map(([type, recordId, payload, fannedOutAt]) => {
    expect(fannedOutAt).toBeNull();
    return { type: type as string, recordId: recordId as string, data: JSON.parse(payload as string) as Record<string, unknown> };
  });
}

describe.each(testBackends())('the outbox on %s: each change writes its event with it', (backend) => {
  const scratch = useMigratedScratchDatabase(backend);
  let clients: ClientService;
  let exchanges: ExchangeService;
  beforeEach(() => {
    const uow = new SqlUnitOfWork(scratch.database.sql, scratch.database.dialect);
    clients = new ClientService(uow, () => new Date().toISOString());
    exchanges = new ExchangeService(uow, () => new Date().toISOString());
  });

  it('writes no event while no active subscription asks for it', async () => {
    await subscribe(scratch.database, ['*'], false);
    await subscribe(scratch.database, ['exchange.created']);
    const client = await clients.create(clientFields());
    await clients.update(client.id, { status: 'customer' });
    await clients.delete(client.id);
    expect(await outbox(scratch.database)).toEqual([]);
  });

  it('carries each client as the API shows it, at the version the change produced', async () => {
    await subscribe(scratch.database, ['*']);
    const created = await clients.create(clientFields({ tags: ['vip', 'b2b'], phone: '06 12 34 56 78' }));
    const updated = await clients.update(created.id, { status: 'customer', notes: 'Cœur, l’été' });
    await clients.delete(created.id);
    const restored = await clients.restore(created.id);
    await clients.delete(created.id, undefined, null, true);

    const events = await outbox(scratch.database);
    expect(events.map((event) => [event.type, event.recordId])).toEqual([
      ['client.created', created.id],
      ['client.updated', created.id],
      ['client.deleted', created.id],
      ['client.restored', created.id],
      ['client.deleted', created.id],
    ]);
    const [onCreate, onUpdate, onTrash, onRestore, onDelete] = events.map((event) => event.data);
    expect(onCreate).toEqual(JSON.parse(JSON.stringify(created)));
    expect(onUpdate).toEqual(JSON.parse(JSON.stringify(updated)));
    // The record as it was, at the version the move gave it; the same keys in the API's order.
    expect(onTrash).toEqual({ ...JSON.parse(JSON.stringify(updated)), version: updated.version + 1 });
    expect(Object.keys(onTrash ?? {})).toEqual(Object.keys(updated));
    expect(onRestore).toEqual(JSON.parse(JSON.stringify(restored)));
    expect(onDelete).toEqual({ ...JSON.parse(JSON.stringify(restored)), version: restored.version + 1 });
  });

  it('announces only what the subscriptions list, and a trashed record deleted for good only once', async () => {
    await subscribe(scratch.database, ['client.deleted', 'exchange.created']);
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'call', direction: 'inbound', subject: 'Appel', body: null });
    await clients.update(client.id, { name: 'Renamed' });
    await clients.delete(client.id);
    await clients.delete(client.id, undefined, null, true);
    const events = await outbox(scratch.database);
    expect(events.map((event) => [event.type, event.recordId])).toEqual([
      ['exchange.created', exchange.id],
      ['client.deleted', client.id],
    ]);
    expect(events[0]?.data).toEqual(JSON.parse(JSON.stringify(exchange)));
  });

  it('writes one event per change however many subscriptions ask for it (the dispatcher fans it out)', async () => {
    await subscribe(scratch.database, ['*']);
    await subscribe(scratch.database, ['client.created', 'client.deleted']);
    await subscribe(scratch.database, ['client.created']);
    const client = await clients.create(clientFields());
    await clients.delete(client.id);
    const events = await outbox(scratch.database);
    expect(events.map((event) => [event.type, event.recordId])).toEqual([
      ['client.created', client.id],
      ['client.deleted', client.id],
    ]);
  });

  it('announces exchange changes, trash and restore included', async () => {
    await subscribe(scratch.database, ['exchange.updated', 'exchange.deleted', 'exchange.restored']);
    const client = await clients.create(clientFields());
    const exchange = await exchanges.create(client.id, { kind: 'note', direction: null, subject: null, body: 'Ligne 1\nLigne 2' });
    const updated = await exchanges.update(exchange.id, { followUpAt: '2027-01-02T03:04:05.006Z' });
    await exchanges.delete(exchange.id);
    const restored = await exchanges.restore(exchange.id);
    await exchanges.delete(exchange.id, undefined, null, true);
    const events = await outbox(scratch.database);
    expect(events.map((event) => event.type)).toEqual(['exchange.updated', 'exchange.deleted', 'exchange.restored', 'exchange.deleted']);
    expect(events.map((event) => event.data.version)).toEqual([2, 3, 4, 5]);
    expect(events[0]?.data).toEqual(JSON.parse(JSON.stringify(updated)));
    expect(events[1]?.data).toEqual({ ...JSON.parse(JSON.stringify(updated)), version: 3 });
    expect(events[2]?.data).toEqual(JSON.parse(JSON.stringify(restored)));
  });

  it('announces a merge on the survivor, and each source leaving the live clients', async () => {
    await subscribe(scratch.database, ['client.merged', 'client.deleted', 'client.updated']);
    const survivor = await clients.create(clientFields({ phone: null, tags: ['a'] }));
    const source = await clients.create(clientFields({ phone: '+33 6 12 34 56 78', tags: ['b'] }));
    const uow = new SqlUnitOfWork(scratch.database.sql, scratch.database.dialect);
    const merged = await new ClientMergeService(uow, () => new Date().toISOString()).merge({
      survivorId: survivor.id,
      sourceIds: [source.id],
    });
    const events = await outbox(scratch.database);
    expect(events.map((event) => [event.type, event.recordId])).toEqual([
      ['client.merged', survivor.id],
      ['client.deleted', source.id],
    ]);
    expect(events[0]?.data).toEqual(JSON.parse(JSON.stringify(merged)));
    expect(merged).toMatchObject({ phone: '+33 6 12 34 56 78', tags: ['a', 'b'] });
  });

  it('writes nothing for a change that did not happen or was rolled back', async () => {
    await subscribe(scratch.database, ['*']);
    const client = await clients.create(clientFields());
    await expect(clients.update(client.id, { name: 'Stale' }, 7)).rejects.toThrow();
    await expect(clients.delete(client.id, 9)).rejects.toThrow();
    const uow = new SqlUnitOfWork(scratch.database.sql, scratch.database.dialect);
    await expect(
      uow.transaction(async (repositories) => {
        await new ClientService(uow, () => new Date().toISOString())
          .joining({ repositories, transaction: (work) => work(repositories) })
          .create(clientFields());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await outbox(scratch.database)).map((event) => event.type)).toEqual(['client.created']);
  });
});
