import { v7 as uuidv7 } from 'uuid';
import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import type { Client } from '../../src/domain/client';
import { NotFoundError } from '../../src/domain/errors';
import { foldSearchTerm } from '../../src/domain/text-normalization';
import { containsPattern } from '../../src/db/sql/like-pattern';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { changeAt, createdEntry, makeClient, makeExchange, updatedEntry } from '../factories/records';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork } from '../factories/units-of-work';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

/** The same contract, unchanged, for every implementation of the ports. */
describe.each(testTiers())('repository contract on %s', (tier) => {
  let opened: OpenedUnitOfWork;
  let uow: UnitOfWork;
  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
    uow = opened.uow;
  });
  afterEach(async () => {
    await opened.close();
  });

  it('stores and reads a client exactly, timestamps to the millisecond', async () => {
    const client = makeClient({ name: 'Ünïcödé 👩🏽‍💼', tags: ['a', 'b 🐘'], notes: 'x\ny', createdAt: '1999-12-31T23:59:59.999Z' });
    await uow.transaction((r) => r.clients.insert(client, createdEntry(client)));
    expect(await uow.repositories.clients.findById(client.id)).toEqual(client);
    expect(await uow.repositories.clients.findById(uuidv7())).toBeNull();
  });

  it('replaces only at the expected version', async () => {
    const client = makeClient();
    await uow.transaction((r) => r.clients.insert(client, createdEntry(client)));
    const next = { ...client, name: 'Renamed', tags: ['new'], version: 2 };
    expect(await uow.transaction((r) => r.clients.replace(next, 5, updatedEntry(client, next)))).toBe(false);
    expect(await uow.transaction((r) => r.clients.replace(next, 1, updatedEntry(client, next)))).toBe(true);
    expect(await uow.repositories.clients.findById(client.id)).toEqual(next);
    const tagged = await uow.repositories.clients.list({ limit: 10, sort: 'name', after: null, tag: 'new' });
    expect(tagged.data.map((c) => c.id)).toEqual([client.id]);
    expect((await uow.repositories.clients.list({ limit: 10, sort: 'name', after: null, tag: client.tags[0] ?? 'none' })).data).toEqual([]);
  });

  it('writes a client and its tags all or none, outside any transaction too', async () => {
    const client = makeClient({ tags: ['keep', 'drop'] });
    await uow.repositories.clients.insert(client, createdEntry(client));
    const tagged = async (tag: string) =>
      (await uow.repositories.clients.list({ limit: 10, sort: 'name', after: null, tag })).data.map((c) => c.id);
    const versions = async () => (await uow.repositories.history.list('client', client.id, 10, null)).data.map((e) => e.version);
    // A stale version changes nothing, tags and history included.
    const stale = { ...client, tags: [], version: 2 };
    expect(await uow.repositories.clients.replace(stale, 7, updatedEntry(client, stale))).toBe(false);
    expect(await tagged('drop')).toEqual([client.id]);
    expect(await versions()).toEqual([1]);
    // Kept, added and dropped tags in one write.
    const retagged = { ...client, tags: ['keep', 'add'], version: 2 };
    expect(await uow.repositories.clients.replace(retagged, 1, updatedEntry(client, retagged))).toBe(true);
    expect([await tagged('keep'), await tagged('add'), await tagged('drop')]).toEqual([[client.id], [client.id], []]);
    // A tag row that cannot be written undoes the client row written before it.
    const broken = makeClient({ tags: ['twice', 'twice'] });
    // (toBeTruthy, not toThrow: a driver's error class may come from another realm than jest's Error.)
    await expect(uow.repositories.clients.insert(broken, createdEntry(broken))).rejects.toBeTruthy();
    expect(await uow.repositories.clients.findById(broken.id)).toBeNull();
    const lost = { ...client, name: 'Lost', tags: ['x', 'x'], version: 3 };
    await expect(uow.repositories.clients.replace(lost, 2, updatedEntry(retagged, lost))).rejects.toBeTruthy();
    expect(await uow.repositories.clients.findById(client.id)).toMatchObject({ name: client.name, tags: ['keep', 'add'], version: 2 });
    expect(await versions()).toEqual([2, 1]);
    // A history entry that cannot be written (its version is taken) undoes the client's change.
    const clash = { ...retagged, name: 'Clash', version: 3 };
    await expect(uow.repositories.clients.replace(clash, 2, { ...updatedEntry(retagged, clash), version: 1 })).rejects.toBeTruthy();
    expect(await uow.repositories.clients.findById(client.id)).toMatchObject({ name: client.name, version: 2 });
  });

  it('deletes for good at a version, exchanges and tags with it', async () => {
    const client = makeClient({ tags: ['t'] });
    const exchange = makeExchange(client.id);
    await uow.transaction(async (r) => {
      await r.clients.insert(client, createdEntry(client));
      await r.exchanges.insert(exchange, createdEntry(exchange));
    });
    const change = changeAt('2026-03-01T00:00:00.000Z');
    expect(await uow.repositories.clients.deletePermanently(client.id, 9, change)).toBe(false);
    expect(await uow.repositories.clients.deletePermanently(client.id, 1, change)).toBe(true);
    expect(await uow.repositories.exchanges.findById(exchange.id)).toBeNull();
    expect(await uow.repositories.exchanges.findInTrash(exchange.id)).toBeNull();
    expect(await uow.repositories.clients.deletePermanently(client.id, undefined, change)).toBe(false);
    // No tag outlived its client: the same id, back without tags (its history goes on), is not listed under the old one.
    const back = { ...client, tags: [], version: 3 };
    await uow.transaction((r) => r.clients.insert(back, createdEntry(back)));
    expect((await uow.repositories.clients.list({ limit: 10, sort: 'name', after: null, tag: 't' })).data).toEqual([]);
    expect((await uow.repositories.exchanges.list({ limit: 10, sort: '-occurredAt', after: null, clientId: client.id })).data).toEqual([]);
  });

  it('refuses an exchange for a missing client with NotFoundError', async () => {
    const orphan = makeExchange(uuidv7());
    await expect(uow.repositories.exchanges.insert(orphan, createdEntry(orphan))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rolls back every write of a failed unit of work', async () => {
    const client = makeClient();
    await expect(
      uow.transaction(async (r) => {
        await r.clients.insert(client, createdEntry(client));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await uow.repositories.clients.findById(client.id)).toBeNull();
  });

  it('pages by keyset with ties on the sort value', async () => {
    const same = '2026-05-05T05:05:05.005Z';
    const clients = Array.from({ length: 7 }, () => makeClient({ createdAt: same, updatedAt: same }));
    await uow.transaction(async (r) => {
      for (const c of clients) await r.clients.insert(c, createdEntry(c));
    });
    const seen: string[] = [];
    let after = null;
    do {
      const page: Awaited<ReturnType<typeof uow.repositories.clients.list>> = await uow.repositories.clients.list({
        limit: 3,
        sort: '-createdAt',
        after,
      });
      seen.push(...page.data.map((c) => c.id));
      after = page.nextPosition;
    } while (after);
    expect(seen).toEqual(
      clients
        .map((c) => c.id)
        .sort()
        .reverse(),
    );
  });

  it('searches folded text literally', async () => {
    const a = makeClient({ name: 'Hélène 50%_off', email: null });
    const b = makeClient({ name: 'Helene 50 off', email: null });
    await uow.transaction(async (r) => {
      await r.clients.insert(a, createdEntry(a));
      await r.clients.insert(b, createdEntry(b));
    });
    const find = async (q: string) =>
      (await uow.repositories.clients.list({ limit: 10, sort: 'name', after: null, search: foldSearchTerm(q) })).data.map((c) => c.name);
    expect(await find('HELENE')).toEqual(['Helene 50 off', 'Hélène 50%_off']);
    expect(await find('50%')).toEqual(['Hélène 50%_off']);
    expect(await find('%_o')).toEqual(['Hélène 50%_off']);
    expect(await find("'; DROP TABLE clients; --")).toEqual([]);
  });

  it('filters exchanges by period and due follow-up', async () => {
    const client = makeClient();
    const due = makeExchange(client.id, { occurredAt: '2026-02-01T00:00:00.000Z', followUpAt: '2026-02-10T00:00:00.000Z' });
    const later = makeExchange(client.id, { occurredAt: '2026-03-01T00:00:00.000Z', followUpAt: '2026-12-10T00:00:00.000Z' });
    await uow.transaction(async (r) => {
      await r.clients.insert(client, createdEntry(client));
      await r.exchanges.insert(due, createdEntry(due));
      await r.exchanges.insert(later, createdEntry(later));
    });
    const list = (q: Partial<Parameters<typeof uow.repositories.exchanges.list>[0]>) =>
      uow.repositories.exchanges.list({ limit: 10, sort: '-occurredAt', after: null, ...q }).then((p) => p.data.map((e) => e.id));
    expect(await list({ clientId: client.id })).toEqual([later.id, due.id]);
    expect(await list({ followUpDueAt: '2026-06-01T00:00:00.000Z' })).toEqual([due.id]);
    expect(await list({ occurredFrom: '2026-02-01T00:00:00.000Z', occurredTo: '2026-03-01T00:00:00.000Z' })).toEqual([due.id]);
  });

  it('claims an idempotency key once and expires it', async () => {
    const repo = uow.repositories.idempotency;
    const future = '2999-01-01T00:00:00.000Z';
    expect(await uow.transaction((r) => r.idempotency.claim('s', 'k', 'h1', future))).toBe(true);
    await repo.complete('s', 'k', { status: 201, body: { ok: 'é' }, location: '/x' });
    expect(await uow.transaction((r) => r.idempotency.claim('s', 'k', 'h2', future))).toBe(false);
    expect(await uow.transaction((r) => r.idempotency.claim('other-scope', 'k', 'h2', future))).toBe(true);
    expect(await repo.find('s', 'k', '2026-01-01T00:00:00.000Z')).toEqual({
      requestHash: 'h1',
      response: { status: 201, body: { ok: 'é' }, location: '/x' },
    });
    expect(await repo.find('s', 'k', '2999-01-02T00:00:00.000Z')).toBeNull();
    expect(await repo.deleteExpired('2999-01-02T00:00:00.000Z')).toBe(2);
  });
});

describe.each(testBackends())('index-backed search on %s', (backend) => {
  const db = useMigratedScratchDatabase(backend);

  it('returns exactly what the unindexed definition returns, through inserts, updates and deletes', async () => {
    const { database } = db;
    const uow = new SqlUnitOfWork(database.sql, database.dialect);
    const words = ['dupont', 'Hélène', 'Zoë', 'O’Brien', 'müller', '50%_off', 'ÉLODIE', 'jean-luc', 'x y', 'ﬁne', '🦊 fox'];
    const clients: Client[] = [];
    for (let i = 0; i < 60; i += 1) {
      const pick = (k: number) => words[(i * 7 + k * 3) % words.length] ?? '';
      clients.push(
        makeClient({
          name: `${pick(0)} ${pick(1)}`,
          company: i % 3 ? pick(2) : null,
          email: `${i}@${pick(3).replace(/\W/g, '') || 'x'}.example`,
        }),
      );
    }
    await uow.transaction(async (r) => {
      for (const c of clients) await r.clients.insert(c, createdEntry(c));
    });
    // Updates move search text; deletes remove it: the index must follow both.
    for (const c of clients.slice(0, 10))
      await uow.transaction((r) => {
        const renamed = { ...c, name: `${c.name} renamed dupond`, version: 2 };
        return r.clients.replace(renamed, 1, updatedEntry(c, renamed));
      });
    const change = changeAt('2026-03-01T00:00:00.000Z');
    for (const c of clients.slice(10, 13)) await uow.repositories.clients.trash(c.id, undefined, change);
    for (const c of clients.slice(13, 15)) await uow.repositories.clients.deletePermanently(c.id, undefined, change);

    const terms = [
      'dup',
      'dupont',
      'dupond',
      'helene',
      'HÉL',
      'zoe',
      'o’b',
      'mull',
      '50%',
      '%_o',
      'elodie',
      'n-l',
      'x y',
      'fine',
      '🦊',
      'fox',
      'e',
      'zz',
      'example',
      'renamed',
    ];
    for (const term of terms) {
      const folded = foldSearchTerm(term);
      const indexed = await uow.repositories.clients.list({ limit: 100, sort: 'name', after: null, search: folded });
      const rows: Array<{ id: string }> = await database
        .knex('clients')
        .select('id')
        .whereRaw("search_text LIKE ? ESCAPE '\\'", [containsPattern(folded)])
        .orderBy('sort_name')
        .orderBy('id');
      expect({ term, ids: indexed.data.map((c) => c.id) }).toEqual({ term, ids: rows.map((r) => r.id) });
    }
  });
});

describe.each(testBackends())('search for a common term on %s', (backend) => {
  const db = useMigratedScratchDatabase(backend);

  it('pages through 2,100 matches exactly as the unindexed definition orders them', async () => {
    const { database } = db;
    const uow = new SqlUnitOfWork(database.sql, database.dialect);
    // Searched while it is rare: SQLite remembers that for a minute and plans the next
    // search of "dupon" as a rare term's, which must not change a single row of the answer.
    expect((await uow.repositories.clients.list({ limit: 10, sort: '-createdAt', after: null, search: 'dupon' })).data).toEqual([]);
    await uow.transaction(async (r) => {
      for (let i = 0; i < 2100; i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + (i % 700) * 1000).toISOString();
        const client = makeClient({ name: `Dupont ${i}`, email: null, createdAt: at, updatedAt: at });
        await r.clients.insert(client, createdEntry(client));
      }
      const rare = makeClient({ name: 'Rare Zéphyrin', email: null });
      await r.clients.insert(rare, createdEntry(rare));
    });
    for (const term of ['dupont', 'dupon', 'zephyrin']) {
      const seen: string[] = [];
      let after = null;
      do {
        const page: Awaited<ReturnType<typeof uow.repositories.clients.list>> = await uow.repositories.clients.list({
          limit: 100,
          sort: '-createdAt',
          after,
          search: foldSearchTerm(term),
        });
        seen.push(...page.data.map((c) => c.id));
        after = page.nextPosition;
      } while (after);
      const rows: Array<{ id: string }> = await database
        .knex('clients')
        .select('id')
        .whereRaw("search_text LIKE ? ESCAPE '\\'", [containsPattern(foldSearchTerm(term))])
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
      expect({ term, ids: seen }).toEqual({ term, ids: rows.map((r) => r.id) });
    }
  });
});

describe.each(testBackends())('search for a term of middling frequency on %s', (backend) => {
  const db = useMigratedScratchDatabase(backend);

  it("gives the unindexed definition's rows in every time order, page after page", async () => {
    const { database } = db;
    const uow = new SqlUnitOfWork(database.sql, database.dialect);
    // 90 matches among 600 clients: common by SQLite's measure (about sqrt of the clients), so
    // it is walked in time order rather than read from the FTS index.
    await uow.transaction(async (r) => {
      for (let i = 0; i < 600; i += 1) {
        const at = new Date(Date.UTC(2026, 0, 1) + (i % 250) * 60_000).toISOString();
        const updated = new Date(Date.UTC(2026, 5, 1) + ((i * 37) % 300) * 60_000).toISOString();
        const client = makeClient({ name: i % 20 < 3 ? `Martin ${i}` : `Client ${i}`, email: null, createdAt: at, updatedAt: updated });
        await r.clients.insert(client, createdEntry(client));
      }
    });
    const orders = {
      '-createdAt': ['created_at', 'desc'],
      createdAt: ['created_at', 'asc'],
      '-updatedAt': ['updated_at', 'desc'],
      updatedAt: ['updated_at', 'asc'],
    } as const;
    for (const [sort, [column, order]] of Object.entries(orders)) {
      const seen: string[] = [];
      let after = null;
      do {
        const page: Awaited<ReturnType<typeof uow.repositories.clients.list>> = await uow.repositories.clients.list({
          limit: 25,
          sort: sort as keyof typeof orders,
          after,
          search: 'martin',
        });
        seen.push(...page.data.map((c) => c.id));
        after = page.nextPosition;
      } while (after);
      const rows: Array<{ id: string }> = await database
        .knex('clients')
        .select('id')
        .whereRaw("search_text LIKE ? ESCAPE '\\'", [containsPattern('martin')])
        .orderBy([
          { column, order },
          { column: 'id', order },
        ]);
      expect(rows).toHaveLength(90);
      expect({ sort, ids: seen }).toEqual({ sort, ids: rows.map((r) => r.id) });
    }
  });
});
