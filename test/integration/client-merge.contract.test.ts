import { v7 as uuidv7 } from 'uuid';
import { NotFoundError } from '../../src/domain/errors';
import { ClientMergeService } from '../../src/services/client-merge.service';
import { clientFields } from '../factories/clients';
import { changeAt } from '../factories/records';
import { inMemoryServices, TestClock } from '../factories/services';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork, type Tier } from '../factories/units-of-work';

const START = Date.parse('2026-03-01T09:00:00.000Z');

/**
 * One merge scenario on a tier, everything it left readable through the ports, with each id
 * replaced by the name the scenario gave it: tiers generate different ids, not different results.
 */
async function mergeScenario(opened: OpenedUnitOfWork) {
  const clock = new TestClock(START);
  const services = inMemoryServices(opened.uow, clock);
  const merges = new ClientMergeService(opened.uow, clock.now);
  const { clients, exchanges } = services;
  const names = new Map<string, { name: string; type: 'client' | 'exchange' }>();
  const named = <T extends { id: string }>(name: string, record: T): T => {
    names.set(record.id, { name, type: 'clientId' in record ? 'exchange' : 'client' });
    return record;
  };

  const survivor = named('survivor', await clients.create(clientFields({ name: 'Hélène', email: null, tags: ['vip'] }), 'alice'));
  const first = named(
    'first',
    await clients.create(clientFields({ name: 'H.', email: 'h@example.fr', phone: '06 12 34 56 78', tags: ['été', 'vip'] })),
  );
  const second = named(
    'second',
    await clients.create(clientFields({ name: 'Helene', email: 'helene@example.fr', company: 'Dupont', notes: 'Hi' })),
  );
  named('own', await exchanges.create(survivor.id, { kind: 'call', subject: 'Own' }));
  named('moved', await exchanges.create(first.id, { kind: 'note', body: 'First' }));
  named('also', await exchanges.create(second.id, { kind: 'email', subject: 'Second' }));
  const deletedBefore = named('deletedBefore', await exchanges.create(second.id, { kind: 'call', subject: 'Deleted before' }));
  clock.advance(1000);
  await exchanges.delete(deletedBefore.id, undefined, 'alice');
  clock.advance(1000);
  const merged = await merges.merge({ survivorId: survivor.id, sourceIds: [first.id, second.id], expectedVersion: 1, actor: 'bob' });
  clock.advance(1000);
  await clients.restore(second.id, 'carol');

  const repos = opened.uow.repositories;
  const result = {
    merged,
    survivor: await repos.clients.findById(survivor.id),
    restored: await repos.clients.findById(second.id),
    timelines: {
      survivor: (await exchanges.timeline(survivor.id, { limit: 100, sort: 'occurredAt' })).data,
      second: (await exchanges.timeline(second.id, { limit: 100, sort: 'occurredAt' })).data,
    },
    trash: (await services.trash.list({ limit: 100 })).data,
    history: {} as Record<string, unknown>,
  };
  for (const [id, { name, type }] of names) result.history[name] = (await services.history.list(type, id, { limit: 100 })).data;
  // Ids become the scenario's names, wherever they appear (values, keys, history changes).
  let text = JSON.stringify(result);
  for (const [id, { name }] of names) text = text.split(id).join(`<${name}>`);
  return JSON.parse(text) as unknown;
}

describe('merge on every tier', () => {
  let expected: unknown;
  beforeAll(async () => {
    const memory = await openUnitOfWork('memory');
    expected = await mergeScenario(memory);
    await memory.close();
  });

  it('has its expected shape on the memory tier', () => {
    expect(expected).toMatchObject({
      merged: { id: '<survivor>', phone: '06 12 34 56 78', company: 'Dupont', notes: 'Hi', tags: ['vip', 'été'], version: 2 },
      restored: { id: '<second>', version: 3 },
      timelines: { second: [] },
      history: { second: [{ action: 'restored' }, { action: 'merged', actor: 'bob' }, { action: 'created' }] },
    });
  });

  it.each(testTiers().filter((tier) => tier !== 'memory'))('gives the memory tier’s results on %s, history included', async (tier) => {
    const opened = await openUnitOfWork(tier);
    try {
      expect(await mergeScenario(opened)).toEqual(expected);
    } finally {
      await opened.close();
    }
  });
});

describe.each(testTiers())('merge ports on %s', (tier: Tier) => {
  let opened: OpenedUnitOfWork;
  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
  });
  afterEach(async () => {
    await opened.close();
  });

  it('findLiveForUpdate gives the live clients among the ids, in id order, inside a transaction or not', async () => {
    const { clients } = inMemoryServices(opened.uow);
    const made = [await clients.create(clientFields()), await clients.create(clientFields()), await clients.create(clientFields())];
    await clients.delete(made[1]!.id);
    const ids = [made[2]!.id, uuidv7(), made[1]!.id, made[0]!.id];
    const expected = [made[0]!, made[2]!].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await opened.uow.repositories.clients.findLiveForUpdate(ids)).toEqual(expected);
    expect(await opened.uow.transaction((repos) => repos.clients.findLiveForUpdate(ids))).toEqual(expected);
    expect(await opened.uow.repositories.clients.findLiveForUpdate([])).toEqual([]);
  });

  it('moveToClient moves nothing from a client without exchanges, and refuses a receiver that is not live', async () => {
    const { clients, exchanges } = inMemoryServices(opened.uow);
    const [from, to, empty] = [
      await clients.create(clientFields()),
      await clients.create(clientFields()),
      await clients.create(clientFields()),
    ];
    const exchange = await exchanges.create(from.id, { kind: 'call', subject: 'Stays' });
    const repos = opened.uow.repositories;
    const change = changeAt('2030-01-01T00:00:00.000Z');
    expect(await repos.exchanges.moveToClient(empty.id, to.id, change)).toBe(0);
    await clients.delete(to.id);
    await expect(repos.exchanges.moveToClient(from.id, to.id, change)).rejects.toEqual(new NotFoundError('Client', to.id));
    expect(await repos.exchanges.findById(exchange.id)).toEqual(exchange);
  });
});
