import { v7 as uuidv7 } from 'uuid';
import { CLIENT_SORTS, type Client } from '../../src/domain/client';
import { NotFoundError } from '../../src/domain/errors';
import type { Exchange } from '../../src/domain/exchange';
import type { HistoryEntry, RecordType } from '../../src/domain/history';
import { foldSearchTerm } from '../../src/domain/text-normalization';
import type { ExchangeListQuery } from '../../src/repositories/exchange.repository';
import type { KeysetPosition } from '../../src/repositories/page';
import type { TrashEntry, TrashListQuery } from '../../src/repositories/trash.repository';
import type { Repositories, UnitOfWork } from '../../src/repositories/unit-of-work';
import { changeAt, createdEntry, makeClient, makeExchange, updatedEntry } from '../factories/records';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork } from '../factories/units-of-work';

// Instants in order, each with milliseconds that a lossy store would drop.
const T0 = '2026-01-02T03:04:05.678Z';
const T1 = '2026-02-01T10:00:00.001Z';
const T2 = '2026-02-02T10:00:00.002Z';
const T3 = '2026-02-03T10:00:00.003Z';
const T4 = '2026-02-04T10:00:00.004Z';

/** A record's history as the port lists it: [version, action] pairs, newest first. */
async function actions(repos: Repositories, type: RecordType, id: string): Promise<Array<[number, string]>> {
  const page = await repos.history.list(type, id, 100, null);
  return page.data.map((entry) => [entry.version, entry.action]);
}

/** Each entry a trash move, restore or permanent delete writes: no changed fields. */
function moveEntry(type: RecordType, id: string, version: number, action: HistoryEntry['action'], at: string, actor: string | null) {
  return { recordType: type, recordId: id, version, action, at, actor, changes: {} };
}

/** Every page of the trash, with the positions between them. */
async function trashPages(repos: Repositories, query: Omit<TrashListQuery, 'after'>) {
  const pages: Array<{ ids: string[]; next: KeysetPosition | null }> = [];
  let after: KeysetPosition | null = null;
  do {
    const page: { data: TrashEntry[]; nextPosition: KeysetPosition | null } = await repos.trash.list({ ...query, after });
    pages.push({ ids: page.data.map((entry) => entry.id), next: page.nextPosition });
    after = page.nextPosition;
  } while (after);
  return pages;
}

/** Newest deletedAt first, then id descending: the trash's order. */
function trashOrder(items: Array<{ id: string; deletedAt: string }>): string[] {
  return [...items]
    .sort((a, b) => (a.deletedAt === b.deletedAt ? (a.id < b.id ? 1 : -1) : a.deletedAt < b.deletedAt ? 1 : -1))
    .map((item) => item.id);
}

describe.each(testTiers())('trash and history contract on %s', (tier) => {
  let opened: OpenedUnitOfWork;
  let uow: UnitOfWork;
  let repos: Repositories;
  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
    uow = opened.uow;
    repos = uow.repositories;
  });
  afterEach(async () => {
    await opened.close();
  });

  async function addClient(overrides: Partial<Client> = {}): Promise<Client> {
    const client = makeClient(overrides);
    await repos.clients.insert(client, createdEntry(client));
    return client;
  }
  async function addExchange(clientId: string, overrides: Partial<Exchange> = {}): Promise<Exchange> {
    const exchange = makeExchange(clientId, overrides);
    await repos.exchanges.insert(exchange, createdEntry(exchange));
    return exchange;
  }
  const clientIds = async (query: Partial<Parameters<Repositories['clients']['list']>[0]> = {}) =>
    (await repos.clients.list({ limit: 100, sort: 'name', after: null, ...query })).data.map((c) => c.id);
  const exchangeIds = async (query: Partial<ExchangeListQuery> = {}) =>
    (await repos.exchanges.list({ limit: 100, sort: '-occurredAt', after: null, ...query })).data.map((e) => e.id);

  it('moves a client and its live exchanges to the trash at their next versions, out of every read and list', async () => {
    const gone = await addClient({ name: 'Zéphyrine Gone', company: 'Acme', status: 'customer', tags: ['vip', 'été'] });
    const kept = await addClient({ name: 'Zéphyrine Kept', company: 'Acme', status: 'customer', tags: ['vip', 'été'] });
    const due = { kind: 'call', occurredAt: T0, followUpAt: T0 } as const;
    const [call, mail] = [await addExchange(gone.id, due), await addExchange(gone.id, { kind: 'email', updatedAt: T1 })];
    const other = await addExchange(kept.id, due);

    expect(await repos.clients.trash(gone.id, undefined, changeAt(T2, 'alice'))).toBe(true);

    expect(await repos.clients.findById(gone.id)).toBeNull();
    expect([await repos.exchanges.findById(call.id), await repos.exchanges.findById(mail.id)]).toEqual([null, null]);
    for (const sort of CLIENT_SORTS) expect(await clientIds({ sort })).toEqual([kept.id]);
    for (const filter of [
      { search: foldSearchTerm('zephyrine') },
      { search: 'acme' },
      { status: 'customer' },
      { tag: 'été' },
      { updatedSince: T0 },
    ] as const)
      expect({ filter, ids: await clientIds(filter) }).toEqual({ filter, ids: [kept.id] });
    expect(await exchangeIds()).toEqual([other.id]);
    const exchangeFilters: Array<[Partial<ExchangeListQuery>, string[]]> = [
      [{ clientId: gone.id }, []],
      [{ followUpDueAt: T4 }, [other.id]],
      [{ kind: 'email' }, []],
      [{ occurredFrom: T0, occurredTo: T4 }, [other.id]],
      [{ updatedSince: T1 }, []],
    ];
    for (const [filter, ids] of exchangeFilters) expect({ filter, ids: await exchangeIds(filter) }).toEqual({ filter, ids });

    // In the trash, row for row, at the next version; updatedAt is the last change's.
    expect(await repos.clients.findInTrash(gone.id)).toEqual({ client: { ...gone, version: 2 }, deletedAt: T2 });
    expect(await repos.exchanges.findInTrash(mail.id)).toEqual({ exchange: { ...mail, version: 2 }, deletedAt: T2, withClient: true });
    expect(await repos.clients.findInTrash(kept.id)).toBeNull();
    expect((await repos.history.list('client', gone.id, 10, null)).data).toEqual([
      moveEntry('client', gone.id, 2, 'deleted', T2, 'alice'),
      createdEntry(gone),
    ]);
    expect((await repos.history.list('exchange', call.id, 10, null)).data).toEqual([
      moveEntry('exchange', call.id, 2, 'deleted', T2, 'alice'),
      createdEntry(call),
    ]);
    expect(await actions(repos, 'exchange', other.id)).toEqual([[1, 'created']]);

    // Trashed: no second move, no update, no new exchange for it.
    expect(await repos.clients.trash(gone.id, undefined, changeAt(T3))).toBe(false);
    const renamed = { ...gone, name: 'Renamed', version: 3 };
    expect(await repos.clients.replace(renamed, 2, updatedEntry({ ...gone, version: 2 }, renamed))).toBe(false);
    const late = makeExchange(gone.id);
    await expect(repos.exchanges.insert(late, createdEntry(late))).rejects.toMatchObject({ resource: 'Client', id: gone.id });
    await expect(repos.exchanges.insert(late, createdEntry(late))).rejects.toBeInstanceOf(NotFoundError);
    const moved = { ...mail, subject: 'Moved', version: 3 };
    expect(await repos.exchanges.replace(moved, 2, updatedEntry({ ...mail, version: 2 }, moved))).toBe(false);
    expect(await actions(repos, 'client', gone.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
  });

  it('checks the version of a trash move, client and exchange alike', async () => {
    const client = await addClient();
    const exchange = await addExchange(client.id);
    expect(await repos.exchanges.trash(exchange.id, 2, changeAt(T1))).toBe(false);
    expect(await repos.exchanges.findById(exchange.id)).toEqual(exchange);
    expect(await repos.exchanges.trash(exchange.id, 1, changeAt(T1, 'bob'))).toBe(true);
    expect(await repos.exchanges.findInTrash(exchange.id)).toEqual({
      exchange: { ...exchange, version: 2 },
      deletedAt: T1,
      withClient: false,
    });
    expect(await repos.exchanges.trash(exchange.id, 2, changeAt(T1))).toBe(false);
    expect(await repos.clients.trash(client.id, 7, changeAt(T2))).toBe(false);
    expect(await repos.clients.findById(client.id)).toEqual(client);
    expect(await repos.clients.trash(client.id, 1, changeAt(T2))).toBe(true);
    expect(await repos.clients.trash(uuidv7(), undefined, changeAt(T2))).toBe(false);
    expect(await repos.exchanges.trash(uuidv7(), undefined, changeAt(T2))).toBe(false);
  });

  it('restores a client with the exchanges trashed with it, not those trashed on their own before', async () => {
    const client = await addClient({ name: 'Hélène Back', tags: ['returning'] });
    const [first, second, alone] = [
      await addExchange(client.id, { followUpAt: T0 }),
      await addExchange(client.id, { occurredAt: T1 }),
      await addExchange(client.id),
    ];
    expect(await repos.exchanges.trash(alone.id, undefined, changeAt(T1))).toBe(true);
    expect(await repos.clients.trash(client.id, undefined, changeAt(T2))).toBe(true);
    expect(await repos.exchanges.findInTrash(alone.id)).toMatchObject({ deletedAt: T1, withClient: false, exchange: { version: 2 } });

    const restored = await repos.clients.restore(client.id, changeAt(T3, 'carol'));
    const back = { ...client, version: 3, updatedAt: T3 };
    expect(restored).toEqual(back);
    expect(await repos.clients.findById(client.id)).toEqual(back);
    expect(await repos.clients.findInTrash(client.id)).toBeNull();
    // Back in every list: tags, search, updatedSince.
    expect(await clientIds({ tag: 'returning' })).toEqual([client.id]);
    expect(await clientIds({ search: foldSearchTerm('helene') })).toEqual([client.id]);
    expect(await clientIds({ updatedSince: T3 })).toEqual([client.id]);
    expect(await repos.exchanges.findById(first.id)).toEqual({ ...first, version: 3, updatedAt: T3 });
    expect(await exchangeIds({ clientId: client.id })).toEqual([second.id, first.id]);
    expect(await exchangeIds({ followUpDueAt: T4 })).toEqual([first.id]);
    expect(await exchangeIds({ updatedSince: T3 })).toEqual([second.id, first.id]);
    expect(await repos.exchanges.findInTrash(alone.id)).toMatchObject({ deletedAt: T1, withClient: false, exchange: { version: 2 } });
    expect((await repos.history.list('client', client.id, 1, null)).data).toEqual([
      moveEntry('client', client.id, 3, 'restored', T3, 'carol'),
    ]);
    expect((await repos.history.list('exchange', second.id, 1, null)).data).toEqual([
      moveEntry('exchange', second.id, 3, 'restored', T3, 'carol'),
    ]);
    expect(await actions(repos, 'exchange', alone.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);

    // Not in the trash (any more, or ever): null, nothing written.
    expect(await repos.clients.restore(client.id, changeAt(T4))).toBeNull();
    expect(await repos.clients.restore(uuidv7(), changeAt(T4))).toBeNull();
    expect(await repos.exchanges.restore(first.id, changeAt(T4))).toBeNull();
    expect(await actions(repos, 'client', client.id)).toEqual([
      [3, 'restored'],
      [2, 'deleted'],
      [1, 'created'],
    ]);
    // The one trashed on its own comes back on its own, now that its client is live.
    expect(await repos.exchanges.restore(alone.id, changeAt(T4))).toEqual({ ...alone, version: 3, updatedAt: T4 });
    expect(await repos.exchanges.findInTrash(alone.id)).toBeNull();
  });

  it('restores an exchange only when its client is live; one trashed with its client comes back with it only', async () => {
    const client = await addClient();
    const alone = await addExchange(client.id);
    const together = await addExchange(client.id);
    await repos.exchanges.trash(alone.id, undefined, changeAt(T1));
    await repos.clients.trash(client.id, undefined, changeAt(T2));
    await expect(repos.exchanges.restore(alone.id, changeAt(T3))).rejects.toMatchObject({ resource: 'Client', id: client.id });
    await expect(repos.exchanges.restore(alone.id, changeAt(T3))).rejects.toBeInstanceOf(NotFoundError);
    expect(await repos.exchanges.restore(together.id, changeAt(T3))).toBeNull();
    expect(await repos.exchanges.findInTrash(alone.id)).toMatchObject({ deletedAt: T1, exchange: { version: 2 } });
    expect(await repos.exchanges.findInTrash(together.id)).toMatchObject({ deletedAt: T2, withClient: true, exchange: { version: 2 } });
    expect(await repos.exchanges.findById(alone.id)).toBeNull();
    for (const exchange of [alone, together])
      expect(await actions(repos, 'exchange', exchange.id)).toEqual([
        [2, 'deleted'],
        [1, 'created'],
      ]);
  });

  it('deletes a client for good, live or trashed, with every exchange of it, and keeps its history', async () => {
    const live = await addClient();
    const [liveExchange, trashedExchange] = [await addExchange(live.id), await addExchange(live.id)];
    await repos.exchanges.trash(trashedExchange.id, undefined, changeAt(T1));
    expect(await repos.clients.deletePermanently(live.id, 2, changeAt(T2))).toBe(false);
    expect(await repos.clients.findById(live.id)).toEqual(live);
    expect(await repos.clients.deletePermanently(live.id, 1, changeAt(T2, 'dave'))).toBe(true);
    expect([await repos.clients.findById(live.id), await repos.clients.findInTrash(live.id)]).toEqual([null, null]);
    for (const exchange of [liveExchange, trashedExchange])
      expect([await repos.exchanges.findById(exchange.id), await repos.exchanges.findInTrash(exchange.id)]).toEqual([null, null]);
    expect((await repos.history.list('client', live.id, 10, null)).data).toEqual([
      moveEntry('client', live.id, 2, 'deleted', T2, 'dave'),
      createdEntry(live),
    ]);
    // An exchange that was live gets its `deleted` entry; one already in the trash had it.
    expect(await actions(repos, 'exchange', liveExchange.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await actions(repos, 'exchange', trashedExchange.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await repos.clients.deletePermanently(live.id, undefined, changeAt(T3))).toBe(false);

    const trashed = await addClient();
    const withIt = await addExchange(trashed.id);
    await repos.clients.trash(trashed.id, undefined, changeAt(T2));
    expect(await repos.clients.deletePermanently(trashed.id, 1, changeAt(T3))).toBe(false);
    expect(await repos.clients.deletePermanently(trashed.id, 2, changeAt(T3))).toBe(true);
    expect(await repos.clients.findInTrash(trashed.id)).toBeNull();
    expect(await repos.exchanges.findInTrash(withIt.id)).toBeNull();
    expect(await actions(repos, 'client', trashed.id)).toEqual([
      [3, 'deleted'],
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await actions(repos, 'exchange', withIt.id)).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect((await repos.trash.list({ limit: 10, after: null })).data).toEqual([]);
    expect(await repos.trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
    expect(await repos.clients.deletePermanently(uuidv7(), undefined, changeAt(T3))).toBe(false);
  });

  it('deletes an exchange for good, live or trashed, at a version', async () => {
    const client = await addClient();
    const [live, trashed] = [await addExchange(client.id), await addExchange(client.id)];
    await repos.exchanges.trash(trashed.id, undefined, changeAt(T1));
    expect(await repos.exchanges.deletePermanently(live.id, 3, changeAt(T2))).toBe(false);
    expect(await repos.exchanges.deletePermanently(live.id, 1, changeAt(T2, 'erin'))).toBe(true);
    expect(await repos.exchanges.findById(live.id)).toBeNull();
    expect((await repos.history.list('exchange', live.id, 1, null)).data).toEqual([
      moveEntry('exchange', live.id, 2, 'deleted', T2, 'erin'),
    ]);
    expect(await repos.exchanges.deletePermanently(trashed.id, 1, changeAt(T2))).toBe(false);
    expect(await repos.exchanges.deletePermanently(trashed.id, 2, changeAt(T2))).toBe(true);
    expect(await repos.exchanges.findInTrash(trashed.id)).toBeNull();
    expect(await actions(repos, 'exchange', trashed.id)).toEqual([
      [3, 'deleted'],
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await repos.exchanges.deletePermanently(live.id, undefined, changeAt(T3))).toBe(false);
    expect(await repos.clients.findById(client.id)).toEqual(client);
    expect(await exchangeIds({ clientId: client.id })).toEqual([]);
  });

  it('keeps history entries exactly: changes from and to, actor, timestamps to the millisecond', async () => {
    const client = makeClient({ name: 'Ünïcödé 👩🏽‍💼', tags: ['a', 'b 🐘'], notes: 'x\ny "quoted"', createdAt: '1999-12-31T23:59:59.999Z' });
    const created = createdEntry(client, 'key-0a1b2c3d');
    await repos.clients.insert(client, created);
    const next = { ...client, name: 'Renamed', tags: [], notes: null, email: null, updatedAt: '2000-01-01T00:00:00.001Z', version: 2 };
    const updated = updatedEntry(client, next, 'sales_team-1');
    expect(updated.changes).toEqual({
      name: { from: client.name, to: 'Renamed' },
      email: { from: client.email, to: null },
      tags: { from: ['a', 'b 🐘'], to: [] },
      notes: { from: 'x\ny "quoted"', to: null },
    });
    expect(await repos.clients.replace(next, 1, updated)).toBe(true);
    const exchange = makeExchange(client.id, { createdAt: T1, followUpAt: null });
    await repos.exchanges.insert(exchange, createdEntry(exchange));
    const followed = { ...exchange, followUpAt: T2, subject: null, body: 'a body', updatedAt: T3, version: 2 };
    await repos.exchanges.replace(followed, 1, updatedEntry(exchange, followed));

    expect((await repos.history.list('client', client.id, 10, null)).data).toEqual([updated, created]);
    expect((await repos.history.list('exchange', exchange.id, 10, null)).data).toEqual([
      {
        recordType: 'exchange',
        recordId: exchange.id,
        version: 2,
        action: 'updated',
        at: T3,
        actor: null,
        changes: { subject: { from: 'Hello', to: null }, body: { from: null, to: 'a body' }, followUpAt: { from: null, to: T2 } },
      },
      createdEntry(exchange),
    ]);
    expect(created.changes).toMatchObject({ tags: { from: null, to: ['a', 'b 🐘'] } });
    expect(await repos.history.list('client', uuidv7(), 10, null)).toEqual({ data: [], nextBefore: null });
  });

  it('pages a history newest first, below a version', async () => {
    let current = await addClient();
    for (let version = 2; version <= 7; version += 1) {
      const next = { ...current, notes: `note ${version}`, version };
      expect(await repos.clients.replace(next, current.version, updatedEntry(current, next))).toBe(true);
      current = next;
    }
    const versions = async (limit: number, before: number | null) => {
      const page = await repos.history.list('client', current.id, limit, before);
      return { versions: page.data.map((entry) => entry.version), nextBefore: page.nextBefore };
    };
    expect(await versions(3, null)).toEqual({ versions: [7, 6, 5], nextBefore: 5 });
    expect(await versions(3, 5)).toEqual({ versions: [4, 3, 2], nextBefore: 2 });
    expect(await versions(3, 2)).toEqual({ versions: [1], nextBefore: null });
    expect(await versions(7, null)).toEqual({ versions: [7, 6, 5, 4, 3, 2, 1], nextBefore: null });
    expect(await versions(6, null)).toEqual({ versions: [7, 6, 5, 4, 3, 2], nextBefore: 2 });
    expect(await versions(2, 1)).toEqual({ versions: [], nextBefore: null });
  });

  it('lists the trash newest deletion first, paged on (deletedAt, id) through ties, exchanges of a trashed client not on their own', async () => {
    const live = await addClient();
    const clients = [await addClient(), await addClient(), await addClient(), await addClient()];
    const exchanges = [];
    for (let i = 0; i < 5; i += 1) exchanges.push(await addExchange(live.id));
    const withClient = await addExchange(clients[1]?.id ?? '');
    const moves: Array<{ type: 'client' | 'exchange'; id: string; deletedAt: string }> = [];
    const clientTimes = [T1, T2, T2, T3];
    const exchangeTimes = [T2, T2, T1, T3, T2];
    for (const [i, client] of clients.entries()) {
      await repos.clients.trash(client.id, undefined, changeAt(clientTimes[i] ?? T0));
      moves.push({ type: 'client', id: client.id, deletedAt: clientTimes[i] ?? T0 });
    }
    for (const [i, exchange] of exchanges.entries()) {
      await repos.exchanges.trash(exchange.id, undefined, changeAt(exchangeTimes[i] ?? T0));
      moves.push({ type: 'exchange', id: exchange.id, deletedAt: exchangeTimes[i] ?? T0 });
    }

    const pages = await trashPages(repos, { limit: 2 });
    expect(pages.flatMap((page) => page.ids)).toEqual(trashOrder(moves));
    expect(pages.flatMap((page) => page.ids)).not.toContain(withClient.id);
    expect(pages).toHaveLength(5);
    const firstNext = pages[0]?.next;
    expect(firstNext).toEqual({ value: T3, id: pages[0]?.ids[1] });
    expect((await trashPages(repos, { limit: 3, type: 'client' })).flatMap((page) => page.ids)).toEqual(
      trashOrder(moves.filter((move) => move.type === 'client')),
    );
    expect((await trashPages(repos, { limit: 10, type: 'exchange' })).flatMap((page) => page.ids)).toEqual(
      trashOrder(moves.filter((move) => move.type === 'exchange')),
    );
    // One entry of each type, whole.
    const [client] = clients;
    const [exchange] = exchanges;
    const all = (await repos.trash.list({ limit: 100, after: null })).data;
    expect(all.find((entry) => entry.id === client?.id)).toEqual({
      type: 'client',
      id: client?.id,
      deletedAt: T1,
      record: { ...client, version: 2 },
    });
    expect(all.find((entry) => entry.id === exchange?.id)).toEqual({
      type: 'exchange',
      id: exchange?.id,
      deletedAt: T2,
      record: { ...exchange, version: 2 },
    });
  });

  it('counts the trash and its oldest deletion', async () => {
    expect(await repos.trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
    const [kept, trashed] = [await addClient(), await addClient()];
    const alone = await addExchange(kept.id);
    await addExchange(trashed.id);
    await addExchange(trashed.id);
    await repos.exchanges.trash(alone.id, undefined, changeAt(T1));
    await repos.clients.trash(trashed.id, undefined, changeAt(T2));
    expect(await repos.trash.stats()).toEqual({ clients: 1, exchanges: 3, oldestDeletedAt: T1 });
  });

  it('purges what was trashed before the cutoff, oldest first, in batches, keeping history', async () => {
    const live = await addClient();
    const trashedClients: Array<{ client: Client; exchanges: Exchange[] }> = [];
    for (const [i, at] of [T1, T2, T4].entries()) {
      const client = await addClient();
      const exchanges = [];
      for (let k = 0; k <= i; k += 1) exchanges.push(await addExchange(client.id));
      await repos.clients.trash(client.id, undefined, changeAt(at));
      trashedClients.push({ client, exchanges });
    }
    const alone: Exchange[] = [];
    for (const at of [T1, T2, T3, T4]) {
      const exchange = await addExchange(live.id);
      await repos.exchanges.trash(exchange.id, undefined, changeAt(at));
      alone.push(exchange);
    }
    // Strictly before the cutoff: what was trashed at T4 stays.
    const cutoff = T4;
    expect(await repos.trash.purgeBefore(cutoff, 1)).toBe(1 + 1 + 1); // the T1 client, its exchange, the T1 exchange
    expect(await repos.trash.purgeBefore(cutoff, 1)).toBe(1 + 2 + 1);
    expect(await repos.trash.purgeBefore(cutoff, 1)).toBe(1);
    expect(await repos.trash.purgeBefore(cutoff, 1)).toBe(0);
    const remaining = (await repos.trash.list({ limit: 100, after: null })).data.map((entry) => entry.id).sort();
    expect(remaining).toEqual([trashedClients[2]?.client.id, alone[3]?.id].sort());
    expect(await repos.trash.stats()).toEqual({ clients: 1, exchanges: 4, oldestDeletedAt: T4 });
    const purged = trashedClients[0];
    expect(await repos.clients.findInTrash(purged?.client.id ?? '')).toBeNull();
    expect(await repos.exchanges.findInTrash(purged?.exchanges[0]?.id ?? '')).toBeNull();
    expect(await actions(repos, 'client', purged?.client.id ?? '')).toEqual([
      [2, 'deleted'],
      [1, 'created'],
    ]);
    expect(await repos.clients.restore(purged?.client.id ?? '', changeAt(T4))).toBeNull();
    // A larger batch takes everything due at once.
    expect(await repos.trash.purgeBefore('2026-03-01T00:00:00.000Z', 100)).toBe(1 + 3 + 1);
    expect(await repos.trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
    expect(await repos.clients.findById(live.id)).toEqual(live);
  });

  it('undoes trash moves, restores and their history with a failed transaction', async () => {
    const client = await addClient();
    const exchange = await addExchange(client.id);
    await expect(
      uow.transaction(async (r) => {
        expect(await r.clients.trash(client.id, 1, changeAt(T1))).toBe(true);
        expect(await r.clients.findInTrash(client.id)).toMatchObject({ deletedAt: T1 });
        expect(await actions(r, 'client', client.id)).toEqual([
          [2, 'deleted'],
          [1, 'created'],
        ]);
        expect((await r.trash.list({ limit: 10, after: null })).data.map((entry) => entry.id)).toEqual([client.id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await repos.clients.findById(client.id)).toEqual(client);
    expect(await repos.exchanges.findById(exchange.id)).toEqual(exchange);
    expect(await repos.clients.findInTrash(client.id)).toBeNull();
    expect(await actions(repos, 'client', client.id)).toEqual([[1, 'created']]);
    expect(await actions(repos, 'exchange', exchange.id)).toEqual([[1, 'created']]);
    expect(await repos.trash.stats()).toEqual({ clients: 0, exchanges: 0, oldestDeletedAt: null });
  });
});
