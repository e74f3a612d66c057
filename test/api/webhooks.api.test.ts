import { webhookBody } from '../factories/webhooks';
import { API_KEY, OTHER_API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** whsec_ and the base64 of 32 bytes. */
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

interface WebhookJson {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  secret?: string;
}

describe.each(testBackends())('webhooks API on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend);
  });
  afterAll(async () => {
    await api.close();
  });

  const create = async (overrides: Record<string, unknown> = {}) =>
    (await api.post('/api/v1/webhooks', webhookBody(overrides)).expect(201)).body as Required<WebhookJson>;
  /** The row as stored, read past the API: what it never shows. */
  const stored = async (id: string) => {
    const [row] = await api.database.sql.all<{ secret: string; failing_since: unknown; active: number }>(
      'SELECT secret, failing_since, active FROM webhooks WHERE id = ?',
      [id],
    );
    return row;
  };
  const at = (iso: string) => api.database.dialect.toDbTimestamp(iso);
  const errorPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((error) => error.path);

  describe('create, read and list', () => {
    it('creates a subscription with its secret, shown once: Location, ETag, no-store', async () => {
      const res = await api.post('/api/v1/webhooks', webhookBody({ events: ['client.created', 'exchange.deleted'] })).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V7),
        url: 'https://hooks.example.com/crm',
        events: ['client.created', 'exchange.deleted'],
        active: true,
        description: null,
        secret: expect.stringMatching(SECRET),
        createdAt: expect.stringMatching(ISO_MS),
        updatedAt: expect.stringMatching(ISO_MS),
        version: 1,
      });
      expect(Buffer.from(res.body.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
      expect(res.headers.location).toBe(`/api/v1/webhooks/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await stored(res.body.id))?.secret).toBe(res.body.secret);

      const { secret: _secret, ...shown } = res.body;
      const read = await api.get(String(res.headers.location)).expect(200);
      expect(read.body).toEqual(shown);
      expect(read.headers.etag).toBe('"1"');
      const listed = (await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data as WebhookJson[];
      expect(listed.find((webhook) => webhook.id === res.body.id)).toEqual(shown);
      expect(JSON.stringify(listed)).not.toContain('whsec_');
    });

    it('takes every event type, ["*"], a description and active: false', async () => {
      expect((await create({ events: ['*'], description: 'Zapier – été', active: false })).events).toEqual(['*']);
      const all = ['client.created', 'client.updated', 'client.deleted', 'client.restored', 'client.merged'];
      const exchanges = ['exchange.created', 'exchange.updated', 'exchange.deleted', 'exchange.restored'];
      const made = await create({ events: [...all, ...exchanges], url: 'http://93.184.215.14:8080/hook?token=abc' });
      expect(made).toMatchObject({ events: [...all, ...exchanges], active: true, url: 'http://93.184.215.14:8080/hook?token=abc' });
      expect((await stored(made.id))?.active).toBe(1);
    });

    it('gives each subscription its own secret', async () => {
      const secrets = new Set([(await create()).secret, (await create()).secret, (await create()).secret]);
      expect(secrets.size).toBe(3);
    });

    it('lists newest first, page after page', async () => {
      const ids = [(await create()).id, (await create()).id, (await create()).id];
      const first = (await api.get('/api/v1/webhooks?limit=2').expect(200)).body;
      expect(first.data.map((webhook: WebhookJson) => webhook.id)).toEqual([ids[2], ids[1]]);
      const second = (await api.get(`/api/v1/webhooks?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200)).body;
      expect(second.data[0].id).toBe(ids[0]);
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=nope', 'cursor'],
      ['status=pending', 'status'],
    ])('refuses the list query %s with a 400', async (query, path) => {
      const res = await api.get(`/api/v1/webhooks?${query}`).expect(400);
      expect(res.body.code).toBe('invalid_parameter');
      expect(errorPaths(res.body)).toEqual([path]);
    });

    it('needs the API key on every route', async () => {
      const made = await create();
      await api.raw().get('/api/v1/webhooks').expect(401);
      await api.raw().post('/api/v1/webhooks').send(webhookBody()).expect(401);
      await api.raw().get(`/api/v1/webhooks/${made.id}`).expect(401);
      await api.raw().post(`/api/v1/webhooks/${made.id}/rotate-secret`).expect(401);
      expect((await stored(made.id))?.secret).toBe(made.secret);
    });

    it('answers 404 for unknown and malformed ids', async () => {
      expect((await api.get('/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b').expect(404)).body.code).toBe('not_found');
      await api.get('/api/v1/webhooks/not-an-id').expect(404);
    });
  });
  describe('idempotent create', () => {
    it('replays the first answer, secret included, to the same key only', async () => {
      const key = `create-${backend}-1`;
      const body = webhookBody({ description: 'once' });
      const first = await api.post('/api/v1/webhooks', body).set('Idempotency-Key', key).expect(201);
      const again = await api.post('/api/v1/webhooks', body).set('Idempotency-Key', key).expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['cache-control']).toBe('no-store');
      const listed = (await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data as WebhookJson[];
      expect(listed.filter((webhook) => webhook.description === 'once')).toHaveLength(1);

      const conflict = await api
        .post('/api/v1/webhooks', webhookBody({ description: 'other' }))
        .set('Idempotency-Key', key)
        .expect(422);
      expect(conflict.body.code).toBe('idempotency_conflict');
      // Another API key has its own keys: the same one makes a new subscription, with a new secret.
      const other = await api
        .raw()
        .post('/api/v1/webhooks')
        .set('Authorization', `Bearer ${OTHER_API_KEY}`)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      expect(other.body.id).not.toBe(first.body.id);
      expect(other.body.secret).not.toBe(first.body.secret);
      expect(API_KEY).not.toBe(OTHER_API_KEY);
    });
  });

  describe('update', () => {
    it('changes url, events, active and description at a new version, and nothing for a no-op', async () => {
      const made = await create({ description: 'before' });
      const patch = { url: 'https://other.example.org/x', events: ['*'], active: false, description: null };
      const res = await api.patch(`/api/v1/webhooks/${made.id}`, patch).set('If-Match', '"1"').expect(200);
      expect(res.body).toMatchObject({ ...patch, id: made.id, version: 2 });
      expect(res.body).not.toHaveProperty('secret');
      expect(res.headers.etag).toBe('"2"');
      expect(res.body.updatedAt > made.updatedAt).toBe(true);
      expect((await stored(made.id))?.secret).toBe(made.secret);
      const same = await api.patch(`/api/v1/webhooks/${made.id}`, { active: false }).expect(200);
      expect(same.body.version).toBe(2);
      expect((await api.get(`/api/v1/webhooks/${made.id}`).expect(200)).body).toEqual(res.body);
    });

    it('refuses a stale If-Match (412), bad values and unknown fields (422), unknown ids (404)', async () => {
      const made = await create();
      expect((await api.patch(`/api/v1/webhooks/${made.id}`, { active: false }).set('If-Match', '"7"').expect(412)).body.code).toBe(
        'precondition_failed',
      );
      for (const [body, path] of [
        [{ url: 'http://127.0.0.1/x' }, 'url'],
        [{ url: 'gopher://x.example.com' }, 'url'],
        [{ events: [] }, 'events'],
        [{ events: ['*', '*'] }, 'events'],
        [{ active: null }, 'active'],
        [{ secret: 'whsec_bWluZQ==' }, 'secret'],
        [{ createdAt: '2020-01-01T00:00:00.000Z' }, 'createdAt'],
      ] as const) {
        const res = await api.patch(`/api/v1/webhooks/${made.id}`, body).expect(422);
        expect({ body, paths: errorPaths(res.body) }).toEqual({ body, paths: [path] });
      }
      expect((await api.get(`/api/v1/webhooks/${made.id}`).expect(200)).body.version).toBe(1);
      await api.patch('/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', { active: false }).expect(404);
    });

    it('forgets past failures when switched on again, not on other changes', async () => {
      const made = await create();
      const since = '2026-01-01T00:00:00.000Z';
      await api.database.sql.run('UPDATE webhooks SET active = 0, failing_since = ? WHERE id = ?', [at(since), made.id]);
      await api.patch(`/api/v1/webhooks/${made.id}`, { description: 'still off' }).expect(200);
      expect((await stored(made.id))?.failing_since).not.toBeNull();
      const res = await api.patch(`/api/v1/webhooks/${made.id}`, { active: true }).expect(200);
      expect(res.body.active).toBe(true);
      expect(await stored(made.id)).toMatchObject({ active: 1, failing_since: null });
    });
  });

  describe('delete', () => {
    it('deletes with its deliveries, honouring If-Match', async () => {
      const made = await create();
      await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202);
      await api.del(`/api/v1/webhooks/${made.id}`).set('If-Match', '"9"').expect(412);
      await api.del(`/api/v1/webhooks/${made.id}`).set('If-Match', '"1"').expect(204);
      await api.get(`/api/v1/webhooks/${made.id}`).expect(404);
      await api.del(`/api/v1/webhooks/${made.id}`).expect(404);
      await api.get(`/api/v1/webhooks/${made.id}/deliveries`).expect(404);
      const rows = await api.database.sql.all('SELECT id FROM webhook_deliveries WHERE webhook_id = ?', [made.id]);
      expect(rows).toEqual([]);
    });
  });

  describe('rotate-secret', () => {
    it('gives a new secret at a new version, used from then on, and shows it only there', async () => {
      const made = await create();
      const res = await api.post(`/api/v1/webhooks/${made.id}/rotate-secret`).expect(200);
      expect(res.body).toMatchObject({ id: made.id, version: 2, secret: expect.stringMatching(SECRET) });
      expect(res.body.secret).not.toBe(made.secret);
      expect(res.headers.etag).toBe('"2"');
      expect(res.headers['cache-control']).toBe('no-store');
      expect((await stored(made.id))?.secret).toBe(res.body.secret);
      expect((await api.get(`/api/v1/webhooks/${made.id}`).expect(200)).body).not.toHaveProperty('secret');
      await api.post(`/api/v1/webhooks/${made.id}/rotate-secret`, {}).set('If-Match', '"2"').expect(200);
    });

    it('refuses a body field (422), a stale If-Match (412) and unknown ids (404)', async () => {
      const made = await create();
      await api.post(`/api/v1/webhooks/${made.id}/rotate-secret`, { secret: 'whsec_bWluZQ==' }).expect(422);
      await api.post(`/api/v1/webhooks/${made.id}/rotate-secret`).set('If-Match', '"5"').expect(412);
      expect((await stored(made.id))?.secret).toBe(made.secret);
      await api.post('/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/rotate-secret').expect(404);
    });
  });
});
