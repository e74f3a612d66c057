import { clientBody } from '../factories/clients';
import { OTHER_API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(testBackends())('clients API on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend);
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates a client with defaults, Location and ETag', async () => {
    const res = await api.post('/api/v1/clients', { name: 'Hélène Dupont' }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      name: 'Hélène Dupont',
      email: null,
      phone: null,
      company: null,
      status: 'lead',
      tags: [],
      notes: null,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
      version: 1,
    });
    expect(res.headers.location).toBe(`/api/v1/clients/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    const read = await api.get(String(res.headers.location)).expect(200);
    expect(read.body).toEqual(res.body);
    expect(read.headers.etag).toBe('"1"');
  });

  it('finds a client by its id in upper case too, and answers with the canonical id', async () => {
    const created = await api.post('/api/v1/clients', { name: 'Casse Haute' }).expect(201);
    const read = await api.get(`/api/v1/clients/${String(created.body.id).toUpperCase()}`).expect(200);
    expect(read.body.id).toBe(created.body.id);
    await api.get(`/api/v1/clients/${String(created.body.id).toUpperCase().replace(/-/g, '')}`).expect(404);
  });

  it('round-trips accents, emoji and every field byte for byte', async () => {
    const body = {
      name: 'Zoë 🦊 Ørsted-Łukasz 李',
      email: 'zoe@exämple.fr'.replace('ä', 'a'),
      phone: '+33 (0)6 12-34-56-78',
      company: 'Café « Crème » & Cie',
      status: 'customer',
      tags: ['vip', 'paris 🗼', 'Élite'],
      notes: 'Ligne 1\nLigne 2\t🙂 \u00a0',
    };
    const created = await api.post('/api/v1/clients', body).expect(201);
    const read = await api.get(`/api/v1/clients/${created.body.id}`).expect(200);
    expect(read.body).toMatchObject(body);
    expect(Buffer.from(JSON.stringify(read.body.tags))).toEqual(Buffer.from(JSON.stringify(body.tags)));
  });

  it('patches with merge semantics, bumps the version and clears with null', async () => {
    const { body: client } = await api.post('/api/v1/clients', clientBody({ company: 'ACME', phone: '0102030405' })).expect(201);
    const res = await api.patch(`/api/v1/clients/${client.id}`, { status: 'prospect', company: null }).expect(200);
    expect(res.body).toMatchObject({ status: 'prospect', company: null, phone: '0102030405', email: client.email, version: 2 });
    expect(res.headers.etag).toBe('"2"');
    expect(res.body.updatedAt > client.updatedAt).toBe(true);
    expect(res.body.createdAt).toBe(client.createdAt);
  });

  it('keeps the version when a patch changes nothing', async () => {
    const { body: client } = await api.post('/api/v1/clients', clientBody({ tags: ['a'] })).expect(201);
    const res = await api.patch(`/api/v1/clients/${client.id}`, { tags: ['a'], name: client.name }).expect(200);
    expect(res.body.version).toBe(1);
  });

  it('honours If-Match on PATCH and DELETE', async () => {
    const { body: client } = await api.post('/api/v1/clients', clientBody()).expect(201);
    await api.patch(`/api/v1/clients/${client.id}`, { notes: 'x' }).set('If-Match', '"7"').expect(412);
    await api.patch(`/api/v1/clients/${client.id}`, { notes: 'x' }).set('If-Match', 'W/"1"').expect(412);
    const ok = await api.patch(`/api/v1/clients/${client.id}`, { notes: 'x' }).set('If-Match', '"1"').expect(200);
    expect(ok.body.version).toBe(2);
    const stale = await api.del(`/api/v1/clients/${client.id}`).set('If-Match', '"1"').expect(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed', status: 412 });
    await api.del(`/api/v1/clients/${client.id}`).set('If-Match', '"2"').expect(204);
    await api.get(`/api/v1/clients/${client.id}`).expect(404);
  });

  it('loses no update when two PATCHes race without If-Match', async () => {
    const { body: client } = await api.post('/api/v1/clients', clientBody()).expect(201);
    await Promise.all([
      api.patch(`/api/v1/clients/${client.id}`, { company: 'A corp' }).expect(200),
      api.patch(`/api/v1/clients/${client.id}`, { phone: '0600000000' }).expect(200),
    ]);
    const read = await api.get(`/api/v1/clients/${client.id}`).expect(200);
    expect(read.body).toMatchObject({ company: 'A corp', phone: '0600000000', version: 3 });
  });

  it('deletes a client together with its exchanges', async () => {
    const { body: client } = await api.post('/api/v1/clients', clientBody()).expect(201);
    const { body: exchange } = await api.post(`/api/v1/clients/${client.id}/exchanges`, { kind: 'note', body: 'hello' }).expect(201);
    await api.del(`/api/v1/clients/${client.id}`).expect(204);
    await api.get(`/api/v1/exchanges/${exchange.id}`).expect(404);
    await api.get(`/api/v1/clients/${client.id}/exchanges`).expect(404);
    await api.del(`/api/v1/clients/${client.id}`).expect(404);
  });

  it.each([
    ['unknown id', '/api/v1/clients/01900000-0000-7000-8000-000000000000'],
    ['malformed id', '/api/v1/clients/not-an-id'],
    ['SQL in the id', "/api/v1/clients/1'%20OR%20'1'='1"],
  ])('answers 404 problem details for an %s', async (_label, path) => {
    const res = await api.get(path).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response for the same key and body', async () => {
      const body = clientBody();
      const first = await api.post('/api/v1/clients', body).set('Idempotency-Key', 'create-1').expect(201);
      const second = await api.post('/api/v1/clients', body).set('Idempotency-Key', 'create-1').expect(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.location).toBe(first.headers.location);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const list = await api.get(`/api/v1/clients?q=${encodeURIComponent(String(body.email))}`).expect(200);
      expect(list.body.data).toHaveLength(1);
    });

    it('treats the same body with keys in another order as the same request', async () => {
      await api.post('/api/v1/clients', { name: 'Order', email: 'o@x.io' }).set('Idempotency-Key', 'order-1').expect(201);
      const res = await api.post('/api/v1/clients', { email: 'o@x.io', name: 'Order' }).set('Idempotency-Key', 'order-1').expect(201);
      expect(res.headers['idempotent-replayed']).toBe('true');
    });

    it('refuses the same key with another body (422 idempotency_conflict)', async () => {
      await api.post('/api/v1/clients', clientBody()).set('Idempotency-Key', 'create-2').expect(201);
      const res = await api.post('/api/v1/clients', clientBody()).set('Idempotency-Key', 'create-2').expect(422);
      expect(res.body.code).toBe('idempotency_conflict');
    });

    it('creates one record for concurrent requests with one key', async () => {
      const body = clientBody({ name: 'Concurrent Once' });
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => api.post('/api/v1/clients', body).set('Idempotency-Key', 'concurrent-1')),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      const list = await api.get('/api/v1/clients?q=concurrent%20once').expect(200);
      expect(list.body.data).toHaveLength(1);
    });

    it('scopes keys per API key', async () => {
      const body = clientBody();
      const mine = await api.post('/api/v1/clients', body).set('Idempotency-Key', 'scoped-1').expect(201);
      const theirs = await api
        .raw()
        .post('/api/v1/clients')
        .set('Authorization', `Bearer ${OTHER_API_KEY}`)
        .set('Idempotency-Key', 'scoped-1')
        .send(body)
        .expect(201);
      expect(theirs.body.id).not.toBe(mine.body.id);
    });

    it('does not burn a key on an invalid request', async () => {
      await api.post('/api/v1/clients', { name: '' }).set('Idempotency-Key', 'fix-me').expect(422);
      await api.post('/api/v1/clients', { name: 'Fixed' }).set('Idempotency-Key', 'fix-me').expect(201);
    });

    it('rejects a malformed key', async () => {
      const res = await api.post('/api/v1/clients', clientBody()).set('Idempotency-Key', 'x'.repeat(300)).expect(400);
      expect(res.body.code).toBe('invalid_parameter');
    });
  });
});
