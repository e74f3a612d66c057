import type { Client, ClientFields } from '../../src/domain/client';
import { IdempotencyConflictError } from '../../src/domain/errors';
import type { IdempotencyRequest } from '../../src/services/idempotency.service';
import { IDEMPOTENCY_TTL_MS } from '../../src/services/idempotency.service';
import { clientFields } from '../factories/clients';
import { inMemoryServices, type Services } from '../factories/services';

const request = (key: string, requestHash: string, scope = 'caller-a'): IdempotencyRequest => ({ scope, key, requestHash });

/** What the clients router does for POST /clients, with a count of how often the work ran. */
function createClientPost(services: Services) {
  let runs = 0;
  const post = (idempotency: IdempotencyRequest | null, fields: ClientFields) =>
    services.idempotency.execute(idempotency, async (uow) => {
      runs += 1;
      const client = await services.clients.joining(uow).create(fields);
      return { status: 201, body: client, location: `/api/v1/clients/${client.id}` };
    });
  return { post, runs: () => runs };
}

async function allClients(services: Services): Promise<Client[]> {
  return (await services.clients.list({ limit: 100, sort: 'createdAt' })).data;
}

describe('IdempotencyService (on the in-memory tier)', () => {
  it('replays the first response to the same key and request, creating one record', async () => {
    const services = inMemoryServices();
    const { post, runs } = createClientPost(services);
    const fields = clientFields({ name: 'Once' });
    const first = await post(request('k1', 'h1'), fields);
    const again = await post(request('k1', 'h1'), fields);
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(runs()).toBe(1);
    expect(await allClients(services)).toEqual([first.body]);
  });

  it('refuses the same key with another request (idempotency_conflict) and creates nothing', async () => {
    const services = inMemoryServices();
    const { post, runs } = createClientPost(services);
    await post(request('k1', 'h1'), clientFields());
    await expect(post(request('k1', 'h2'), clientFields())).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(runs()).toBe(1);
    expect(await allClients(services)).toHaveLength(1);
  });

  it("keeps callers' keys apart, and runs every request that has no key", async () => {
    const services = inMemoryServices();
    const { post, runs } = createClientPost(services);
    await post(request('k1', 'h1', 'caller-a'), clientFields());
    expect(await post(request('k1', 'h2', 'caller-b'), clientFields())).toMatchObject({ replayed: false });
    const fields = clientFields();
    await post(null, fields);
    expect(await post(null, fields)).toMatchObject({ replayed: false });
    expect(runs()).toBe(4);
    expect(await allClients(services)).toHaveLength(4);
  });

  it('does not use up the key of a request that failed: its retry runs', async () => {
    const services = inMemoryServices();
    let failNext = true;
    const outcome = () =>
      services.idempotency.execute(request('k1', 'h1'), async (uow) => {
        const client = await services.clients.joining(uow).create(clientFields());
        if (failNext) {
          failNext = false;
          throw new Error('the work failed after its first write');
        }
        return { status: 201, body: client, location: null };
      });
    await expect(outcome()).rejects.toThrow('the work failed');
    expect(await allClients(services)).toEqual([]);
    const retried = await outcome();
    expect(retried).toMatchObject({ status: 201, replayed: false });
    expect(await allClients(services)).toEqual([retried.body]);
  });

  it('keeps the record and the key in one transaction: no record survives a response that cannot be stored', async () => {
    const services = inMemoryServices();
    // JSON cannot hold a BigInt: storing the response fails after the client was written.
    const unstorable = services.idempotency.execute(request('k1', 'h1'), async (uow) => {
      const client = await services.clients.joining(uow).create(clientFields());
      return { status: 201, body: { client, size: 10n }, location: null };
    });
    await expect(unstorable).rejects.toThrow(TypeError);
    expect(await allClients(services)).toEqual([]);
    const { post } = createClientPost(services);
    expect(await post(request('k1', 'h1'), clientFields())).toMatchObject({ replayed: false });
  });

  it('makes a concurrent request with the same key wait for the first and replay its answer', async () => {
    const services = inMemoryServices();
    const { post, runs } = createClientPost(services);
    const fields = clientFields();
    const [a, b] = await Promise.all([post(request('k1', 'h1'), fields), post(request('k1', 'h1'), fields)]);
    expect(runs()).toBe(1);
    expect([a.replayed, b.replayed]).toEqual([false, true]);
    expect(b.body).toEqual(a.body);
  });

  it('purges keys once they have expired, and only those', async () => {
    const services = inMemoryServices();
    const { post } = createClientPost(services);
    await post(request('old', 'h1'), clientFields());
    services.clock.advance(IDEMPOTENCY_TTL_MS / 2);
    await post(request('recent', 'h2'), clientFields());
    services.clock.advance(IDEMPOTENCY_TTL_MS / 2);
    expect(await services.idempotency.purgeExpired()).toBe(1);
    expect(await services.idempotency.purgeExpired()).toBe(0);
    expect(await post(request('recent', 'h2'), clientFields())).toMatchObject({ replayed: true });
  });
});
