import { clientBody } from '../factories/clients';
import { exchangeBody } from '../factories/exchanges';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const DAY_MS = 24 * 60 * 60 * 1000;

interface TrashItemJson {
  type: 'client' | 'exchange';
  id: string;
  deletedAt: string;
  purgeAt: string;
  record: { id: string; version: number };
}

interface TrashPageJson {
  data: TrashItemJson[];
  nextCursor: string | null;
}

/** A clock one second further at every reading: deletions are ordered, whatever the machine's speed. */
function tickingClock(): () => string {
  let now = Date.now();
  return () => new Date((now += 1000)).toISOString();
}

describe.each(testBackends())('trash and restore on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend, { clock: tickingClock() });
  });
  afterAll(async () => {
    await api.close();
  });

  const newClient = async (overrides: Record<string, unknown> = {}) =>
    (await api.post('/api/v1/clients', clientBody(overrides)).expect(201)).body as { id: string; version: number };
  const newExchange = async (clientId: string, overrides: Record<string, unknown> = {}) =>
    (await api.post(`/api/v1/clients/${clientId}/exchanges`, exchangeBody(overrides)).expect(201)).body as { id: string; version: number };
  /** Every item of the trash, page after page. */
  const wholeTrash = async (query = '', limit = 100): Promise<TrashItemJson[]> => {
    const items: TrashItemJson[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: TrashPageJson = (await api.get(`/api/v1/trash?limit=${limit}${query}${after}`).expect(200)).body;
      items.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  };
  const trashIds = async (query = '') => (await wholeTrash(query)).map((item) => item.id);
  /** A trashed client with an exchange trashed along with it and one deleted on its own before. */
  const trashedClientWithExchanges = async () => {
    const client = await newClient();
    const withClient = await newExchange(client.id);
    const alone = await newExchange(client.id);
    await api.del(`/api/v1/exchanges/${alone.id}`).expect(204);
    await api.del(`/api/v1/clients/${client.id}`).expect(204);
    return { client, withClient, alone };
  };

  it('hides a trashed client and its exchanges everywhere: reads, writes, lists, search, timeline, filters', async () => {
    const client = await newClient({ name: 'Ophélie Corbeille', tags: ['bin'] });
    const past = new Date(Date.now() - DAY_MS).toISOString();
    const exchange = await newExchange(client.id, { followUpAt: past });
    await api.del(`/api/v1/clients/${client.id}`).expect(204);

    await api.get(`/api/v1/clients/${client.id}`).expect(404);
    await api.patch(`/api/v1/clients/${client.id}`, { notes: 'x' }).expect(404);
    await api.del(`/api/v1/clients/${client.id}`).expect(404);
    await api.get(`/api/v1/clients/${client.id}/exchanges`).expect(404);
    await api.get(`/api/v1/exchanges/${exchange.id}`).expect(404);
    await api.patch(`/api/v1/exchanges/${exchange.id}`, { subject: 'x' }).expect(404);
    for (const query of ['limit=100', 'q=corbeille', 'tag=bin', 'sort=name&limit=100']) {
      const listed = (await api.get(`/api/v1/clients?${query}`).expect(200)).body.data.map((c: { id: string }) => c.id);
      expect({ query, listed: listed.includes(client.id) }).toEqual({ query, listed: false });
    }
    for (const query of [`clientId=${client.id}`, 'followUpDue=true&limit=100', 'limit=100']) {
      expect((await api.get(`/api/v1/exchanges?${query}`).expect(200)).body.data).not.toContainEqual(
        expect.objectContaining({ id: exchange.id }),
      );
    }
  });

  it('lists the trash newest first with purgeAt = deletedAt + 30 days; exchanges trashed with their client are not listed', async () => {
    const { client, withClient, alone } = await trashedClientWithExchanges();

    const items = await wholeTrash();
    const deletedAts = items.map((item) => item.deletedAt);
    expect(deletedAts).toEqual([...deletedAts].sort().reverse());
    const [first, second] = items;
    expect(first).toMatchObject({ type: 'client', id: client.id, record: { id: client.id } });
    expect(second).toMatchObject({ type: 'exchange', id: alone.id, record: { id: alone.id, clientId: client.id } });
    for (const item of items) expect(Date.parse(item.purgeAt) - Date.parse(item.deletedAt)).toBe(30 * DAY_MS);
    expect(items.map((item) => item.id)).not.toContain(withClient.id);

    const clientsOnly = await wholeTrash('&type=client');
    expect(new Set(clientsOnly.map((item) => item.type))).toEqual(new Set(['client']));
    const exchangesOnly = await wholeTrash('&type=exchange');
    expect(exchangesOnly.map((item) => item.id)).toContain(alone.id);
    expect(exchangesOnly.map((item) => item.id)).not.toContain(withClient.id);
    await api.get('/api/v1/trash?type=note').expect(400);
    await api.get('/api/v1/trash?sort=name').expect(400);
  });

  it('pages through the trash without repeating or skipping an item', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const client = await newClient();
      await api.del(`/api/v1/clients/${client.id}`).expect(204);
      ids.unshift(client.id);
    }
    const first = await api.get('/api/v1/trash?limit=2').expect(200);
    expect(first.body.data.map((item: TrashItemJson) => item.id)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const paged = (await wholeTrash('', 2)).map((item) => item.id);
    expect(paged).toEqual(await trashIds());
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.slice(0, 5)).toEqual(ids);
    await api.get('/api/v1/trash?cursor=not-a-cursor').expect(400);
    await api.get('/api/v1/trash?limit=101').expect(400);
  });

  it('restores a client at a new version with the exchanges trashed with it, not the one deleted before', async () => {
    const { client, withClient, alone } = await trashedClientWithExchanges();

    const restored = await api.post(`/api/v1/clients/${client.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ id: client.id });
    expect(restored.body.version).toBeGreaterThan(client.version);
    expect(restored.headers.etag).toBe(`"${restored.body.version}"`);
    expect((await api.get(`/api/v1/clients/${client.id}`).expect(200)).body).toEqual(restored.body);
    const timeline = (await api.get(`/api/v1/clients/${client.id}/exchanges`).expect(200)).body.data;
    expect(timeline.map((e: { id: string }) => e.id)).toEqual([withClient.id]);
    await api.get(`/api/v1/exchanges/${alone.id}`).expect(404);
    expect(await trashIds()).not.toContain(client.id);
    expect(await trashIds('&type=exchange')).toContain(alone.id);

    // Now the client is live, the exchange deleted on its own comes back too.
    const exchange = await api.post(`/api/v1/exchanges/${alone.id}/restore`, {}).expect(200);
    expect(exchange.body.version).toBeGreaterThan(alone.version);
    expect(exchange.headers.etag).toBe(`"${exchange.body.version}"`);
  });

  it('answers a live record as it is (a retry is harmless), and 404 for unknown and malformed ids', async () => {
    const client = await newClient();
    const live = await api.post(`/api/v1/clients/${client.id}/restore`).expect(200);
    expect(live.body).toEqual((await api.get(`/api/v1/clients/${client.id}`).expect(200)).body);
    expect(live.body.version).toBe(client.version);
    await api.del(`/api/v1/clients/${client.id}`).expect(204);
    const first = await api.post(`/api/v1/clients/${client.id}/restore`).expect(200);
    const again = await api.post(`/api/v1/clients/${client.id}/restore`).expect(200);
    expect(again.body).toEqual(first.body);

    const unknown = await api.post('/api/v1/clients/01900000-0000-7000-8000-000000000000/restore').expect(404);
    expect(unknown.body).toMatchObject({ code: 'not_found' });
    await api.post('/api/v1/exchanges/01900000-0000-7000-8000-000000000000/restore').expect(404);
    await api.post('/api/v1/clients/not-an-id/restore').expect(404);
    await api.post(`/api/v1/clients/${client.id}/restore`, { force: true }).expect(422);
  });

  it('refuses to restore an exchange whose client is in the trash: 409 conflict, nothing changed', async () => {
    const client = await newClient();
    const exchange = await newExchange(client.id);
    await api.del(`/api/v1/exchanges/${exchange.id}`).expect(204);
    await api.del(`/api/v1/clients/${client.id}`).expect(204);
    const res = await api.post(`/api/v1/exchanges/${exchange.id}/restore`).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, code: 'conflict' });
    await api.get(`/api/v1/exchanges/${exchange.id}`).expect(404);
    expect(await trashIds('&type=exchange')).toContain(exchange.id);
  });

  it('deletes for good with permanent=true, live or trashed: restore is then a 404', async () => {
    const live = await newClient();
    await newExchange(live.id);
    await api.del(`/api/v1/clients/${live.id}?permanent=true`).expect(204);
    await api.post(`/api/v1/clients/${live.id}/restore`).expect(404);

    const trashed = await newClient();
    const exchange = await newExchange(trashed.id);
    await api.del(`/api/v1/exchanges/${exchange.id}`).expect(204);
    await api.del(`/api/v1/exchanges/${exchange.id}?permanent=true`).expect(204);
    await api.post(`/api/v1/exchanges/${exchange.id}/restore`).expect(404);
    await api.del(`/api/v1/clients/${trashed.id}`).expect(204);
    await api.del(`/api/v1/clients/${trashed.id}?permanent=true`).expect(204);
    await api.post(`/api/v1/clients/${trashed.id}/restore`).expect(404);
    await api.del(`/api/v1/clients/${trashed.id}?permanent=true`).expect(404);
    const ids = await trashIds();
    expect(ids).not.toContain(live.id);
    expect(ids).not.toContain(trashed.id);
    expect(ids).not.toContain(exchange.id);
  });

  it('refuses any other value of permanent, and unknown parameters, with 400 before changing anything', async () => {
    const client = await newClient();
    const exchange = await newExchange(client.id);
    for (const query of ['permanent=false', 'permanent=1', 'permanent=yes', 'permanent=TRUE', 'permanent=', 'force=true']) {
      const res = await api.del(`/api/v1/clients/${client.id}?${query}`).expect(400);
      expect(res.body).toMatchObject({ code: 'invalid_parameter' });
      await api.del(`/api/v1/exchanges/${exchange.id}?${query}`).expect(400);
    }
    await api.del(`/api/v1/clients/${client.id}?permanent=true&permanent=true`).expect(400);
    await api.get(`/api/v1/clients/${client.id}`).expect(200);
    await api.get(`/api/v1/exchanges/${exchange.id}`).expect(200);
  });

  it('applies If-Match to DELETE, to the trash or for good: a stale tag is a 412 and nothing moves', async () => {
    const client = await newClient();
    await api.patch(`/api/v1/clients/${client.id}`, { notes: 'v2' }).expect(200);
    for (const path of [`/api/v1/clients/${client.id}`, `/api/v1/clients/${client.id}?permanent=true`]) {
      const res = await api.del(path).set('If-Match', '"1"').expect(412);
      expect(res.body).toMatchObject({ code: 'precondition_failed', detail: 'The resource is at version 2, not 1' });
    }
    expect((await api.get(`/api/v1/clients/${client.id}`).expect(200)).body.version).toBe(2);
    expect(await trashIds()).not.toContain(client.id);
    await api.del(`/api/v1/clients/${client.id}`).set('If-Match', '"2"').expect(204);
    expect(await trashIds()).toContain(client.id);
  });
});

describe.each(testBackends())('TRASH_RETENTION_DAYS=0 on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend, { env: { TRASH_RETENTION_DAYS: '0' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('deletes at once, as before the trash existed', async () => {
    const client = (await api.post('/api/v1/clients', clientBody()).expect(201)).body;
    const exchange = (await api.post(`/api/v1/clients/${client.id}/exchanges`, exchangeBody()).expect(201)).body;
    const other = (await api.post('/api/v1/clients', clientBody()).expect(201)).body;
    await api.del(`/api/v1/exchanges/${exchange.id}`).expect(204);
    await api.del(`/api/v1/clients/${client.id}`).expect(204);
    expect((await api.get('/api/v1/trash').expect(200)).body).toEqual({ data: [], nextCursor: null });
    await api.post(`/api/v1/clients/${client.id}/restore`).expect(404);
    await api.post(`/api/v1/exchanges/${exchange.id}/restore`).expect(404);
    await api.get(`/api/v1/clients/${other.id}`).expect(200);
  });
});
