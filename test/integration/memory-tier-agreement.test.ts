import { v7 as uuidv7 } from 'uuid';
import { CLIENT_SORTS, type Client } from '../../src/domain/client';
import { EXCHANGE_SORTS, type Exchange } from '../../src/domain/exchange';
import { foldSearchTerm } from '../../src/domain/text-normalization';
import type { ClientListQuery } from '../../src/repositories/client.repository';
import type { ExchangeListQuery } from '../../src/repositories/exchange.repository';
import type { KeysetPosition, Page } from '../../src/repositories/page';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { createdEntry } from '../factories/records';
import { openUnitOfWork, type OpenedUnitOfWork } from '../factories/units-of-work';
import { testBackends } from '../support/test-databases';

// Names whose order differs between UTF-16 code units (JS `<`) and UTF-8 bytes (the databases):
// U+E000 sorts after an astral character in UTF-16 and before it in UTF-8.
const NAMES = [
  'alice',
  'Bob',
  'Élodie',
  'Emma',
  'émile',
  'x\u{E000}',
  'x😀',
  'x\u{FFFD}',
  'x𝒜',
  'Zoë',
  'zoe',
  'O’Brien',
  '50%_off',
  'ﬁne',
  'Émile',
];
const TIMES = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2025-12-31T23:59:59.999Z', '2026-06-15T12:00:00.000Z'];

/** The same records, written in the same order, to the memory tier and to a database. */
function dataset(): { clients: Client[]; exchanges: Exchange[] } {
  const clients = NAMES.flatMap((name, i) =>
    [0, 1].map((copy): Client => {
      const at = TIMES[(i + copy) % TIMES.length] as string;
      return {
        id: uuidv7(),
        name,
        email: copy ? null : `${i}@example.com`,
        phone: i % 3 ? null : `+33 1 ${i}`,
        company: i % 4 ? 'Dupont & Fils' : null,
        status: copy ? 'lead' : 'customer',
        tags: i % 2 ? ['vip', 'été'] : ['vip'],
        notes: null,
        createdAt: at,
        updatedAt: TIMES[(i * 3 + copy) % TIMES.length] as string,
        version: 1,
      };
    }),
  );
  const exchanges = clients.slice(0, 12).flatMap((client, i) =>
    [0, 1, 2].map((k): Exchange => ({
      id: uuidv7(),
      clientId: client.id,
      kind: k ? 'call' : 'email',
      direction: k === 2 ? null : k ? 'inbound' : 'outbound',
      subject: `S${i}`,
      body: null,
      occurredAt: TIMES[(i + k) % TIMES.length] as string,
      followUpAt: k === 1 ? (TIMES[i % TIMES.length] as string) : null,
      createdAt: TIMES[0] as string,
      updatedAt: TIMES[(i + 2 * k) % TIMES.length] as string,
      version: 1,
    })),
  );
  return { clients, exchanges };
}

/** Every page of a list, pages of three, with the positions the cursors would carry. */
async function everyPage<T>(list: (after: KeysetPosition | null) => Promise<Page<T>>): Promise<Array<Page<T>>> {
  const pages: Array<Page<T>> = [];
  let after: KeysetPosition | null = null;
  do {
    const page: Page<T> = await list(after);
    pages.push(page);
    after = page.nextPosition;
  } while (after);
  return pages;
}

describe.each(testBackends())('the memory tier lists exactly as %s does', (backend) => {
  const stores: Record<'memory' | 'database', OpenedUnitOfWork | undefined> = { memory: undefined, database: undefined };
  beforeAll(async () => {
    stores.memory = await openUnitOfWork('memory');
    stores.database = await openUnitOfWork(backend);
    const { clients, exchanges } = dataset();
    for (const opened of [stores.memory, stores.database]) {
      await opened.uow.transaction(async (r) => {
        for (const client of clients) await r.clients.insert(client, createdEntry(client));
        for (const exchange of exchanges) await r.exchanges.insert(exchange, createdEntry(exchange));
      });
    }
  });
  afterAll(async () => {
    await stores.memory?.close();
    await stores.database?.close();
  });
  const both = (): [UnitOfWork, UnitOfWork] => {
    if (!stores.memory || !stores.database) throw new Error('stores not opened');
    return [stores.memory.uow, stores.database.uow];
  };

  const clientFilters: Array<Partial<ClientListQuery>> = [
    {},
    { search: foldSearchTerm('EMI') },
    { search: foldSearchTerm('x') },
    { search: '50%' },
    { search: 'dupont & f' },
    { search: '+33' },
    { status: 'lead' },
    { tag: 'été' },
    { tag: 'vip', status: 'customer' },
    { updatedSince: TIMES[1] },
    { search: 'zz' },
  ];
  it.each(CLIENT_SORTS)('clients sorted by %s, through every filter and page', async (sort) => {
    const [memory, database] = both();
    for (const filter of clientFilters) {
      const list = (uow: UnitOfWork) => everyPage((after) => uow.repositories.clients.list({ limit: 3, sort, after, ...filter }));
      expect({ filter, pages: await list(memory) }).toEqual({ filter, pages: await list(database) });
    }
  });

  const exchangeFilters: Array<Partial<ExchangeListQuery>> = [
    {},
    { kind: 'call' },
    { direction: 'inbound' },
    { occurredFrom: TIMES[0], occurredTo: TIMES[1] },
    { occurredTo: TIMES[0] },
    { followUpDueAt: TIMES[1] },
    { updatedSince: TIMES[3] },
    { kind: 'email', updatedSince: TIMES[2] },
  ];
  it.each(EXCHANGE_SORTS)('exchanges sorted by %s, through every filter and page', async (sort) => {
    const [memory, database] = both();
    const someClient = (await database.repositories.exchanges.list({ limit: 1, sort, after: null })).data[0]?.clientId;
    for (const filter of [...exchangeFilters, { clientId: someClient }]) {
      const list = (uow: UnitOfWork) => everyPage((after) => uow.repositories.exchanges.list({ limit: 3, sort, after, ...filter }));
      expect({ filter, pages: await list(memory) }).toEqual({ filter, pages: await list(database) });
    }
  });
});
