import type { ClientSort } from '../../src/domain/client';
import { InvalidParameterError } from '../../src/domain/errors';
import type { ClientListParams, ListResult } from '../../src/services/client.service';
import { clientFields } from '../factories/clients';
import { inMemoryServices, type Services } from '../factories/services';

/** Creates clients one clock tick apart, named in an order unrelated to their creation. */
async function createClients(services: Services, names: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    services.clock.advance(1);
    ids.push((await services.clients.create(clientFields({ name, tags: ['team'] }))).id);
  }
  return ids;
}

async function nextPage(
  services: Services,
  params: Omit<ClientListParams, 'cursor'>,
  cursor: string | null,
): Promise<ListResult<{ id: string }>> {
  return services.clients.list({ ...params, ...(cursor ? { cursor } : {}) });
}

describe('list cursors (services on the in-memory tier)', () => {
  it.each<ClientSort>(['-createdAt', 'createdAt', 'name', '-name', 'updatedAt', '-updatedAt'])(
    'pages by %s with no client skipped or repeated while others are created between pages',
    async (sort) => {
      const services = inMemoryServices();
      const before = await createClients(services, [
        'mia',
        'Bob',
        'Élodie',
        'alice',
        'Zoë',
        'emma',
        'Chloé',
        'david',
        'Hugo',
        'inès',
        'Jules',
      ]);
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const page: ListResult<{ id: string }> = await nextPage(services, { limit: 3, sort, tag: 'team' }, cursor);
        seen.push(...page.data.map((client) => client.id));
        cursor = page.nextCursor;
        // Rows that land before the cursor are for a later walk; the rest must still come in order.
        round += 1;
        await createClients(services, [`aaa ${round}`, `zzz ${round}`]);
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(before));
      // And in list order: the walk is the final list less the rows that landed behind it.
      const final = (await services.clients.list({ limit: 100, sort, tag: 'team' })).data.map((client) => client.id);
      expect(final.filter((id) => seen.includes(id))).toEqual(seen);
    },
  );

  it('gives the same pages as one long list when nothing changes in between', async () => {
    const services = inMemoryServices();
    await createClients(services, ['b', 'a', 'd', 'c', 'e', 'g', 'f']);
    const all = (await services.clients.list({ limit: 100, sort: 'name' })).data.map((client) => client.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListResult<{ id: string }> = await nextPage(services, { limit: 2, sort: 'name' }, cursor);
      paged.push(...page.data.map((client) => client.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all).toHaveLength(7);
  });

  it('refuses a cursor reused with another filter or sort, and an altered one', async () => {
    const services = inMemoryServices();
    await createClients(services, ['a', 'b', 'c']);
    const first = await services.clients.list({ limit: 1, sort: 'name', q: 'a' });
    const cursor = first.nextCursor ?? '';
    await createClients(services, ['ab']);
    expect((await services.clients.list({ limit: 1, sort: 'name', q: 'a', cursor })).data).toHaveLength(1);
    await expect(services.clients.list({ limit: 1, sort: 'name', q: 'b', cursor })).rejects.toBeInstanceOf(InvalidParameterError);
    await expect(services.clients.list({ limit: 1, sort: '-name', q: 'a', cursor })).rejects.toBeInstanceOf(InvalidParameterError);
    await expect(services.clients.list({ limit: 1, sort: 'name', q: 'a', status: 'lead', cursor })).rejects.toThrow(
      'The cursor is not valid',
    );
    await expect(services.clients.list({ limit: 1, sort: 'name', q: 'a', cursor: `x${cursor}` })).rejects.toBeInstanceOf(
      InvalidParameterError,
    );
  });

  it("pages a client's timeline newest first and refuses its cursor on another client's", async () => {
    const services = inMemoryServices();
    const [first = '', second = ''] = await createClients(services, ['one', 'two']);
    const recorded: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      services.clock.advance(60_000);
      recorded.push((await services.exchanges.create(first, { kind: 'note', body: `note ${i}` })).id);
    }
    await services.exchanges.create(second, { kind: 'call', subject: 'other client' });
    const page1 = await services.exchanges.timeline(first, { limit: 3, sort: '-occurredAt' });
    const cursor = page1.nextCursor ?? '';
    const page2 = await services.exchanges.timeline(first, { limit: 3, sort: '-occurredAt', cursor });
    expect([...page1.data, ...page2.data].map((exchange) => exchange.id)).toEqual([...recorded].reverse());
    expect(page2.nextCursor).toBeNull();
    await expect(services.exchanges.timeline(second, { limit: 3, sort: '-occurredAt', cursor })).rejects.toBeInstanceOf(
      InvalidParameterError,
    );
  });
});
