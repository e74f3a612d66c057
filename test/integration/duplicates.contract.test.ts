import type { Client } from '../../src/domain/client';
import type { DuplicatePage, DuplicatePosition } from '../../src/repositories/duplicates.repository';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { changeAt, createdEntry, makeClient } from '../factories/records';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork } from '../factories/units-of-work';

/** The duplicates port on every tier: the same groups, in the same order, bounded the same way. */
describe.each(testTiers())('duplicates repository on %s', (tier) => {
  let opened: OpenedUnitOfWork;
  let uow: UnitOfWork;
  let minute = 0;

  /** Clients created a minute apart, in call order: the oldest first is the call order. */
  const add = async (fields: Partial<Client>): Promise<Client> => {
    minute += 1;
    const at = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const client = makeClient({ email: null, phone: null, company: null, createdAt: at, updatedAt: at, ...fields });
    await uow.repositories.clients.insert(client, createdEntry(client));
    return client;
  };
  const list = (limit: number, after: DuplicatePosition | null = null, membersPerGroup = 50): Promise<DuplicatePage> =>
    uow.repositories.duplicates.list({ limit, after, membersPerGroup });
  const shape = (page: DuplicatePage) => page.data.map((g) => [g.reason, g.key, g.total, g.clients.map((c) => c.name)]);

  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
    uow = opened.uow;
  });
  afterEach(async () => {
    await opened.close();
  });

  it('lists nothing when no key is shared, and ignores clients without a key', async () => {
    await add({ name: 'A', email: 'a@example.com' });
    await add({ name: 'B', email: 'b@example.com', company: 'Acme' });
    await add({ name: 'No keys' });
    await add({ name: 'No keys' });
    expect(await list(20)).toEqual({ data: [], nextPosition: null });
  });

  it('orders reasons email, phone, name_company and keys byte by byte (UTF-8), on every tier alike', async () => {
    // As bytes 'z' (0x7a) < 'ø' (0xc3 0xb8) < U+E000 (0xee …) < U+1F600 (0xf0 …); UTF-16 code
    // units would put the emoji (surrogate 0xd83d) before U+E000. None of them folds to ASCII.
    for (const local of ['\u{1f600}', '\ue000', 'øre', 'zoe']) {
      await add({ name: `${local} 1`, email: `${local}@example.com` });
      await add({ name: `${local} 2`, email: `${local.toUpperCase()}@EXAMPLE.com` });
    }
    await add({ name: 'Jean', company: 'Dupont SA', phone: '06 12 34 56 78' });
    await add({ name: 'jean', company: 'DUPONT S.A.', phone: '+33612345678' });
    const page = await list(20);
    expect(shape(page)).toEqual([
      ['email', 'zoe@example.com', 2, ['zoe 1', 'zoe 2']],
      ['email', 'øre@example.com', 2, ['øre 1', 'øre 2']],
      ['email', '\ue000@example.com', 2, ['\ue000 1', '\ue000 2']],
      ['email', '\u{1f600}@example.com', 2, ['\u{1f600} 1', '\u{1f600} 2']],
      ['phone', '+33612345678', 2, ['Jean', 'jean']],
      ['name_company', 'jean|dupontsa', 2, ['Jean', 'jean']],
    ]);
    expect(page.nextPosition).toBeNull();
  });

  it('pages by (reason, key): each page continues after the last group, across reasons, to the end', async () => {
    for (const n of [1, 2, 3]) {
      await add({ name: `e${n}a`, email: `e${n}@example.com`, phone: `+33 1 00 00 00 0${n}` });
      await add({ name: `e${n}b`, email: `e${n}@example.com`, phone: `01 00 00 00 0${n}` });
    }
    const seen: string[] = [];
    let after: DuplicatePosition | null = null;
    let pages = 0;
    do {
      const page: DuplicatePage = await list(2, after);
      pages += 1;
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((g) => `${g.reason}:${g.key}`));
      after = page.nextPosition;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual([
      'email:e1@example.com',
      'email:e2@example.com',
      'email:e3@example.com',
      'phone:+33100000001',
      'phone:+33100000002',
      'phone:+33100000003',
    ]);
    // A page that ends exactly on the last group says so.
    expect((await list(6)).nextPosition).toBeNull();
    expect((await list(5)).nextPosition).toEqual({ reason: 'phone', key: '+33100000002' });
  });

  it('bounds the members of a group to the oldest ones, and gives the total', async () => {
    for (let n = 0; n < 7; n += 1) await add({ name: `Info ${n}`, email: 'info@example.com' });
    const [group] = (await list(20, null, 3)).data;
    expect(group).toMatchObject({ reason: 'email', key: 'info@example.com', total: 7 });
    expect(group!.clients.map((c) => c.name)).toEqual(['Info 0', 'Info 1', 'Info 2']);
  });

  it('sees live clients only, and follows updates, trash and restore', async () => {
    const first = await add({ name: 'First', email: 'same@example.com' });
    const second = await add({ name: 'Second', email: 'same@example.com' });
    expect(shape(await list(20))).toEqual([['email', 'same@example.com', 2, ['First', 'Second']]]);

    await uow.repositories.clients.trash(second.id, undefined, changeAt('2026-02-01T00:00:00.000Z'));
    expect((await list(20)).data).toEqual([]);
    await uow.repositories.clients.restore(second.id, changeAt('2026-02-02T00:00:00.000Z'));
    expect((await list(20)).data).toHaveLength(1);

    const moved = { ...first, email: 'other@example.com', version: 2, updatedAt: '2026-02-03T00:00:00.000Z' };
    await uow.repositories.clients.replace(moved, 1, { ...createdEntry(moved), action: 'updated' });
    expect((await list(20)).data).toEqual([]);
  });
});
