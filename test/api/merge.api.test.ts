import { clientBody } from '../factories/clients';
import { exchangeBody } from '../factories/exchanges';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

interface ClientJson {
  id: string;
  version: number;
  email: string | null;
  phone: string | null;
  tags: string[];
  updatedAt: string;
}

interface HistoryJson {
  version: number;
  action: string;
  actor: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

describe.each(testBackends())('POST /api/v1/clients/:id/merge on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend);
  });
  afterAll(async () => {
    await api.close();
  });

  const newClient = async (overrides: Record<string, unknown> = {}): Promise<ClientJson> =>
    (await api.post('/api/v1/clients', clientBody(overrides)).expect(201)).body;
  const newExchange = async (clientId: string) =>
    (await api.post(`/api/v1/clients/${clientId}/exchanges`, exchangeBody()).expect(201)).body as { id: string; version: number };
  const merge = (survivorId: string, body: unknown) => api.post(`/api/v1/clients/${survivorId}/merge`, body);
  const history = async (type: 'clients' | 'exchanges', id: string): Promise<HistoryJson[]> =>
    (await api.get(`/api/v1/${type}/${id}/history`).expect(200)).body.data;
  const timelineIds = async (clientId: string): Promise<string[]> =>
    (await api.get(`/api/v1/clients/${clientId}/exchanges?limit=100`).expect(200)).body.data.map((e: { id: string }) => e.id).sort();
  /** What a refused merge must leave untouched: each client's state (live or trashed), timeline and history. */
  const state = async (ids: readonly string[]) =>
    Promise.all(
      ids.map(async (id) => {
        const live = await api.get(`/api/v1/clients/${id}`);
        return {
          live: live.status === 200 ? live.body : null,
          timeline: live.status === 200 ? await timelineIds(id) : [],
          history: await history('clients', id),
        };
      }),
    );

  it('moves the exchanges, fills the survivor, trashes the sources, with a merged entry on every record', async () => {
    const survivor = await newClient({ email: null, tags: ['vip'] });
    const first = await newClient({ phone: '06 12 34 56 78', tags: ['paris'] });
    const second = await newClient({ phone: '+33 1 00 00 00 00', company: 'Dupont SA', tags: ['vip', 'b2b'] });
    const own = await newExchange(survivor.id);
    const moved = await newExchange(first.id);
    const alsoMoved = await newExchange(second.id);

    const res = await merge(survivor.id, { sources: [first.id, second.id] }).expect(200);
    expect(res.body).toMatchObject({
      id: survivor.id,
      email: first.email,
      phone: '06 12 34 56 78',
      company: 'Dupont SA',
      tags: ['vip', 'paris', 'b2b'],
      version: 2,
    });
    expect(res.headers.etag).toBe('"2"');
    expect((await api.get(`/api/v1/clients/${survivor.id}`).expect(200)).body).toEqual(res.body);
    expect(await timelineIds(survivor.id)).toEqual([own.id, moved.id, alsoMoved.id].sort());
    const movedNow = (await api.get(`/api/v1/exchanges/${moved.id}`).expect(200)).body;
    expect(movedNow).toMatchObject({ clientId: survivor.id, version: 2 });
    expect(Date.parse(movedNow.updatedAt)).toBeGreaterThanOrEqual(Date.parse(survivor.updatedAt));

    const [survivorEntry] = await history('clients', survivor.id);
    expect(survivorEntry).toEqual({
      version: 2,
      action: 'merged',
      at: res.body.updatedAt,
      actor: expect.stringMatching(/^key-[0-9a-f]{8}$/),
      changes: {
        mergedFrom: { from: null, to: [first.id, second.id] },
        email: { from: null, to: first.email },
        phone: { from: null, to: '06 12 34 56 78' },
        company: { from: null, to: 'Dupont SA' },
        tags: { from: ['vip'], to: ['vip', 'paris', 'b2b'] },
      },
    });
    expect((await history('exchanges', alsoMoved.id))[0]).toMatchObject({
      version: 2,
      action: 'merged',
      changes: { clientId: { from: second.id, to: survivor.id } },
    });
    expect((await history('exchanges', own.id)).map((entry) => entry.action)).toEqual(['created']);
    for (const source of [first, second]) {
      await api.get(`/api/v1/clients/${source.id}`).expect(404);
      expect((await history('clients', source.id)).map((entry) => [entry.version, entry.action])).toEqual([
        [2, 'merged'],
        [1, 'created'],
      ]);
    }
    const trash = (await api.get('/api/v1/trash?type=client&limit=100').expect(200)).body.data.map((item: { id: string }) => item.id);
    expect(trash).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('restores a merged source without its exchanges, which stay with the survivor', async () => {
    const survivor = await newClient();
    const source = await newClient();
    const exchange = await newExchange(source.id);
    await merge(survivor.id, { sources: [source.id] }).expect(200);
    const restored = await api.post(`/api/v1/clients/${source.id}/restore`).expect(200);
    expect(restored.body.version).toBe(3);
    expect(await timelineIds(source.id)).toEqual([]);
    expect(await timelineIds(survivor.id)).toEqual([exchange.id]);
  });

  it('replays a repeated Idempotency-Key, refuses it with another body, and honours If-Match on the survivor', async () => {
    const survivor = await newClient();
    const [a, b] = [await newClient(), await newClient()];
    const stale = await merge(survivor.id, { sources: [a.id] })
      .set('If-Match', '"9"')
      .expect(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed' });
    const first = await merge(survivor.id, { sources: [a.id] })
      .set('If-Match', '"1"')
      .set('Idempotency-Key', 'merge-a')
      .expect(200);
    const again = await merge(survivor.id, { sources: [a.id] })
      .set('If-Match', '"1"')
      .set('Idempotency-Key', 'merge-a')
      .expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe('"2"');
    const other = await merge(survivor.id, { sources: [b.id] })
      .set('Idempotency-Key', 'merge-a')
      .expect(422);
    expect(other.body).toMatchObject({ code: 'idempotency_conflict' });
    expect((await api.get(`/api/v1/clients/${survivor.id}`).expect(200)).body.version).toBe(2);
    await api.get(`/api/v1/clients/${b.id}`).expect(200);
  });

  it('answers each bad request with its problem, changing nothing', async () => {
    const survivor = await newClient();
    const source = await newClient();
    const trashed = await newClient();
    await newExchange(source.id);
    await api.del(`/api/v1/clients/${trashed.id}`).expect(204);
    const before = await state([survivor.id, source.id, trashed.id]);
    const tooMany = Array.from({ length: 21 }, (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const cases: [string, unknown, number, object][] = [
      [survivor.id, [source.id], 422, { code: 'validation_failed' }],
      [survivor.id, {}, 422, { errors: [{ path: 'sources', message: expect.any(String) }] }],
      [survivor.id, { sources: [source.id], force: true }, 422, { errors: [{ path: 'force', message: 'unknown field' }] }],
      [survivor.id, { sources: [] }, 422, { errors: [{ path: 'sources', message: 'must name at least one client' }] }],
      [survivor.id, { sources: tooMany }, 422, { errors: [{ path: 'sources', message: 'must name at most 20 clients' }] }],
      [survivor.id, { sources: [source.id, 'nope'] }, 422, { errors: [{ path: 'sources.1', message: 'must be a client id' }] }],
      [survivor.id, { sources: [source.id, 42] }, 422, { errors: [{ path: 'sources.1', message: expect.any(String) }] }],
      [survivor.id, { sources: [survivor.id] }, 422, { errors: [{ path: 'sources.0', message: expect.stringContaining('itself') }] }],
      [
        survivor.id,
        { sources: [source.id, source.id] },
        422,
        { errors: [{ path: 'sources.1', message: 'repeats a source given earlier' }] },
      ],
      [
        survivor.id,
        { sources: [source.id, UNKNOWN_ID] },
        422,
        { errors: [{ path: 'sources.1', message: expect.stringContaining(UNKNOWN_ID) }] },
      ],
      [survivor.id, { sources: [source.id, trashed.id] }, 409, { code: 'conflict', detail: expect.stringContaining('in the trash') }],
      ['not-an-id', { sources: [source.id] }, 404, { code: 'not_found' }],
      [UNKNOWN_ID, { sources: [source.id] }, 404, { code: 'not_found' }],
      [trashed.id, { sources: [source.id] }, 404, { code: 'not_found' }],
    ];
    for (const [survivorId, body, status, problem] of cases) {
      const res = await merge(survivorId, body);
      expect({ body, status: res.status, problem: res.body }).toEqual({ body, status, problem: expect.objectContaining(problem) });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // A source id in capitals names the same client, as a path id does.
    expect(await state([survivor.id, source.id, trashed.id])).toEqual(before);
    await merge(survivor.id, { sources: [source.id.toUpperCase()] }).expect(200);
  });

  it('never half-merges under concurrency: crossed merges, a merge racing a delete and new exchanges', async () => {
    for (let round = 0; round < 3; round += 1) {
      const [a, b] = [await newClient(), await newClient()];
      const exchanges = [await newExchange(a.id), await newExchange(b.id)];
      const [ab, ba, late] = await Promise.all([
        merge(a.id, { sources: [b.id] }),
        merge(b.id, { sources: [a.id] }),
        api.post(`/api/v1/clients/${b.id}/exchanges`, exchangeBody()),
      ]);
      const statuses = [ab.status, ba.status].sort();
      // Exactly one wins; the other finds its survivor trashed (404) or its source trashed (409).
      expect([
        [200, 404],
        [200, 409],
      ]).toContainEqual(statuses);
      const winner = ab.status === 200 ? a : b;
      const loser = winner === a ? b : a;
      await api.get(`/api/v1/clients/${loser.id}`).expect(404);
      if (late.status === 201) exchanges.push(late.body);
      else expect(late.status).toBe(404);
      expect(await timelineIds(winner.id)).toEqual(exchanges.map((e) => e.id).sort());
      expect((await api.get(`/api/v1/clients/${winner.id}`).expect(200)).body.version).toBe(2);

      const [c, d] = [await newClient(), await newClient()];
      const [merged, deleted] = await Promise.all([merge(c.id, { sources: [d.id] }), api.del(`/api/v1/clients/${d.id}`)]);
      expect([
        [200, 404],
        [409, 204],
      ]).toContainEqual([merged.status, deleted.status]);
      expect((await api.get(`/api/v1/clients/${c.id}`).expect(200)).body.version).toBe(merged.status === 200 ? 2 : 1);
    }
  });
});

describe.each(testBackends())('merge with TRASH_RETENTION_DAYS=0 on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend, { env: { TRASH_RETENTION_DAYS: '0' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('deletes the sources for good, as DELETE does, their history ending merged then deleted', async () => {
    const survivor = (await api.post('/api/v1/clients', clientBody()).expect(201)).body;
    const source = (await api.post('/api/v1/clients', clientBody()).expect(201)).body;
    const exchange = (await api.post(`/api/v1/clients/${source.id}/exchanges`, exchangeBody()).expect(201)).body;
    await api.post(`/api/v1/clients/${survivor.id}/merge`, { sources: [source.id] }).expect(200);
    expect((await api.get('/api/v1/trash').expect(200)).body).toEqual({ data: [], nextCursor: null });
    await api.post(`/api/v1/clients/${source.id}/restore`).expect(404);
    const history = (await api.get(`/api/v1/clients/${source.id}/history`).expect(200)).body.data;
    expect(history.map((entry: { action: string }) => entry.action)).toEqual(['deleted', 'merged', 'created']);
    expect((await api.get(`/api/v1/exchanges/${exchange.id}`).expect(200)).body.clientId).toBe(survivor.id);
  });
});
