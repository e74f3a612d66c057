import request from 'supertest';
import { createApp } from '../../src/app';
import { WEBHOOK_TEST_EVENT } from '../../src/domain/webhook-event';
import { createLogger } from '../../src/logging/create-logger';
import { webhookBody } from '../factories/webhooks';
import { API_KEY, OTHER_API_KEY, startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

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

  describe('refuses bad input with a 422 naming the field', () => {
    it.each([
      ['no url', { url: undefined }, 'url'],
      ['a url that is not text', { url: 42 }, 'url'],
      ['a relative url', { url: '/hook' }, 'url'],
      ['not a url', { url: 'nope' }, 'url'],
      ['another scheme', { url: 'ftp://hooks.example.com/x' }, 'url'],
      ['a javascript: url', { url: 'javascript:alert(1)' }, 'url'],
      ['credentials in the url', { url: 'https://user:pass@hooks.example.com/x' }, 'url'],
      ['a user name in the url', { url: 'https://user@hooks.example.com/x' }, 'url'],
      ['a url over 2048 characters', { url: `https://hooks.example.com/${'a'.repeat(2030)}` }, 'url'],
      ['spaces around the url', { url: ' https://hooks.example.com/x' }, 'url'],
      ['a line break in the url', { url: 'https://hooks.exa\nmple.com/x' }, 'url'],
      ['loopback', { url: 'http://127.0.0.1:8080/hook' }, 'url'],
      ['loopback as one number', { url: 'http://2130706433/' }, 'url'],
      ['IPv6 loopback', { url: 'http://[::1]/hook' }, 'url'],
      ['IPv4-mapped loopback', { url: 'http://[::ffff:127.0.0.1]/hook' }, 'url'],
      ['a private address', { url: 'https://10.1.2.3/hook' }, 'url'],
      ['a private address (192.168)', { url: 'https://192.168.1.10/hook' }, 'url'],
      ['the cloud metadata address', { url: 'http://169.254.169.254/latest/meta-data' }, 'url'],
      ['unique-local IPv6', { url: 'http://[fd00::1]/hook' }, 'url'],
      ['the unspecified address', { url: 'http://0.0.0.0/hook' }, 'url'],
      ['localhost', { url: 'http://localhost:3000/hook' }, 'url'],
      ['a localhost subdomain', { url: 'http://api.localhost/hook' }, 'url'],
      ['no events', { events: undefined }, 'events'],
      ['an empty events list', { events: [] }, 'events'],
      ['events as text', { events: 'client.created' }, 'events'],
      ['an unknown event type', { events: ['client.created', 'client.exploded'] }, 'events.1'],
      ['webhook.test (not subscribable)', { events: ['webhook.test'] }, 'events.0'],
      ['"*" with other types', { events: ['*', 'client.created'] }, 'events'],
      ['a repeated event type', { events: ['client.created', 'client.created'] }, 'events'],
      ['a description over 500 characters', { description: 'x'.repeat(501) }, 'description'],
      ['a description that is not text', { description: 12 }, 'description'],
      ['active that is not a boolean', { active: 'yes' }, 'active'],
      ['a secret of its own', { secret: 'whsec_bWluZQ==' }, 'secret'],
      ['an unknown field', { evnts: ['*'] }, 'evnts'],
    ])('%s', async (_label, overrides, path) => {
      const before = (await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data.length;
      const res = await api.post('/api/v1/webhooks', webhookBody(overrides)).expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res.body)).toEqual([path]);
      expect((await api.get('/api/v1/webhooks?limit=100').expect(200)).body.data).toHaveLength(before);
    });

    it('a body that is not an object (422) or not JSON (400)', async () => {
      await api.post('/api/v1/webhooks', ['https://hooks.example.com']).expect(422);
      const res = await api.post('/api/v1/webhooks').set('Content-Type', 'application/json').send('{"url":').expect(400);
      expect(res.body.code).toBe('malformed_json');
    });

    it('accepts a description of 500 characters and a public IPv6 literal', async () => {
      const made = await create({ description: 'é'.repeat(500), url: 'https://[2606:4700:4700::1111]/hook' });
      expect(made.description).toHaveLength(500);
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

  describe('test event and deliveries', () => {
    it('queues a webhook.test event for this subscription only, shown in its delivery log', async () => {
      const made = await create();
      const other = await create({ events: ['*'] });
      const res = await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V7),
        eventId: expect.stringMatching(UUID_V7),
        type: WEBHOOK_TEST_EVENT,
        status: 'pending',
        attempts: 0,
        lastStatus: null,
        lastError: null,
        nextAttemptAt: expect.stringMatching(ISO_MS),
        deliveredAt: null,
        createdAt: expect.stringMatching(ISO_MS),
      });
      expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries`).expect(200)).body).toEqual({ data: [res.body], nextCursor: null });
      expect((await api.get(`/api/v1/webhooks/${other.id}/deliveries`).expect(200)).body.data).toEqual([]);
      // Already fanned out: the dispatcher never offers it to another subscription.
      const [event] = await api.database.sql.all<{ type: string; record_id: unknown; payload: string; fanned_out_at: unknown }>(
        'SELECT type, record_id, payload, fanned_out_at FROM webhook_events WHERE id = ?',
        [res.body.eventId],
      );
      expect(event).toMatchObject({ type: WEBHOOK_TEST_EVENT, record_id: null });
      expect(event?.fanned_out_at).not.toBeNull();
      expect(JSON.parse(event?.payload ?? 'null')).toEqual({ webhookId: made.id, message: expect.any(String) });
    });

    it('refuses a body field (422) and unknown ids (404)', async () => {
      const made = await create();
      await api.post(`/api/v1/webhooks/${made.id}/test`, { message: 'hi' }).expect(422);
      await api.post('/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/test').expect(404);
      expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries`).expect(200)).body.data).toEqual([]);
    });

    it('lists deliveries newest first, paged and filtered by status', async () => {
      const made = await create();
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202)).body.id);
      await api.database.sql.run("UPDATE webhook_deliveries SET status = 'delivered', attempts = 1, last_status = 200 WHERE id = ?", [
        ids[0],
      ]);
      const first = (await api.get(`/api/v1/webhooks/${made.id}/deliveries?limit=2`).expect(200)).body;
      const second = (
        await api.get(`/api/v1/webhooks/${made.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200)
      ).body;
      expect([...first.data, ...second.data].map((delivery: { id: string }) => delivery.id)).toEqual([...ids].reverse());
      expect(second.nextCursor).toBeNull();
      const delivered = (await api.get(`/api/v1/webhooks/${made.id}/deliveries?status=delivered`).expect(200)).body.data;
      expect(delivered).toEqual([expect.objectContaining({ id: ids[0], status: 'delivered', attempts: 1, lastStatus: 200 })]);
      expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries?status=pending`).expect(200)).body.data).toHaveLength(2);
      expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries?status=failed`).expect(200)).body.data).toEqual([]);
      // A cursor of one list does not continue another.
      await api
        .get(`/api/v1/webhooks/${made.id}/deliveries?limit=2&status=pending&cursor=${encodeURIComponent(first.nextCursor)}`)
        .expect(400);
    });

    it.each([
      ['status=sent', 'status'],
      ['status=', 'status'],
      ['limit=500', 'limit'],
      ['type=client.created', 'type'],
      ['cursor=x.y', 'cursor'],
    ])('refuses the deliveries query %s with a 400', async (query, path) => {
      const made = await create();
      const res = await api.get(`/api/v1/webhooks/${made.id}/deliveries?${query}`).expect(400);
      expect(errorPaths(res.body)).toEqual([path]);
    });

    it('answers 404 for the deliveries of an unknown subscription', async () => {
      await api.get('/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/deliveries').expect(404);
      await api.get('/api/v1/webhooks/nope/deliveries').expect(404);
    });
  });

  it('refuses a test or a retry for a subscription that is switched off (409): nothing would be sent', async () => {
    const made = await create();
    const delivery = (await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202)).body;
    await api.patch(`/api/v1/webhooks/${made.id}`, { active: false }).expect(200);
    expect((await api.post(`/api/v1/webhooks/${made.id}/test`).expect(409)).body.code).toBe('conflict');
    expect((await api.post(`/api/v1/webhooks/${made.id}/deliveries/${delivery.id}/retry`).expect(409)).body.code).toBe('conflict');
    expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries`).expect(200)).body.data).toHaveLength(1);
    await api.patch(`/api/v1/webhooks/${made.id}`, { active: true }).expect(200);
    await api.post(`/api/v1/webhooks/${made.id}/deliveries/${delivery.id}/retry`).expect(202);
  });

  describe('retry', () => {
    it('queues a failed delivery again, due now, keeping its attempts', async () => {
      const made = await create();
      const delivery = (await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202)).body;
      await api.database.sql.run(
        "UPDATE webhook_deliveries SET status = 'failed', attempts = 8, last_status = 500, last_error = 'HTTP 500', next_attempt_at = NULL WHERE id = ?",
        [delivery.id],
      );
      const before = new Date().toISOString();
      const res = await api.post(`/api/v1/webhooks/${made.id}/deliveries/${delivery.id}/retry`).expect(202);
      expect(res.body).toEqual({
        ...delivery,
        status: 'pending',
        attempts: 8,
        lastStatus: 500,
        lastError: 'HTTP 500',
        nextAttemptAt: expect.stringMatching(ISO_MS),
      });
      expect(res.body.nextAttemptAt >= before).toBe(true);
      expect((await api.get(`/api/v1/webhooks/${made.id}/deliveries?status=pending`).expect(200)).body.data).toEqual([res.body]);
    });

    it('leaves the lease of a delivery being attempted, so it is not sent twice at once', async () => {
      const made = await create();
      const delivery = (await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202)).body;
      const lease = new Date(Date.now() + 60_000).toISOString();
      await api.database.sql.run('UPDATE webhook_deliveries SET lease_until = ? WHERE id = ?', [at(lease), delivery.id]);
      await api.post(`/api/v1/webhooks/${made.id}/deliveries/${delivery.id}/retry`).expect(202);
      const [row] = await api.database.sql.all<{ lease_until: unknown }>('SELECT lease_until FROM webhook_deliveries WHERE id = ?', [
        delivery.id,
      ]);
      expect(api.database.dialect.fromDbTimestamp(row?.lease_until)).toBe(lease);
    });

    it('answers 404 for an unknown, malformed or another subscription’s delivery, 422 for a body field', async () => {
      const made = await create();
      const other = await create();
      const delivery = (await api.post(`/api/v1/webhooks/${made.id}/test`).expect(202)).body;
      await api.post(`/api/v1/webhooks/${other.id}/deliveries/${delivery.id}/retry`).expect(404);
      await api.post(`/api/v1/webhooks/${made.id}/deliveries/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/retry`).expect(404);
      await api.post(`/api/v1/webhooks/${made.id}/deliveries/nope/retry`).expect(404);
      await api.post(`/api/v1/webhooks/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/deliveries/${delivery.id}/retry`).expect(404);
      await api.post(`/api/v1/webhooks/${made.id}/deliveries/${delivery.id}/retry`, { now: true }).expect(422);
    });
  });
});

describe('webhook secrets and the logs', () => {
  const scratch = useMigratedScratchDatabase('sqlite', 'all');

  it('never writes a secret to a log line, on create, replay, rotation or a failed request', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { env: 'test', log: { level: 'debug', format: 'json', lang: 'en' } },
      { write: (line: string) => lines.push(line) },
    );
    // Built after the hooks have opened the database.
    const agent = () => request(createApp({ config: testConfig({ API_KEYS: API_KEY }), logger, database: scratch.database }).callback());
    const post = (path: string, body?: object) => agent().post(path).set('Authorization', `Bearer ${API_KEY}`).send(body);
    const created = await post('/api/v1/webhooks', webhookBody()).set('Idempotency-Key', 'log-check').expect(201);
    await post('/api/v1/webhooks', webhookBody()).set('Idempotency-Key', 'log-check').expect(201);
    const rotated = await post(`/api/v1/webhooks/${created.body.id}/rotate-secret`).expect(200);
    await post('/api/v1/webhooks', webhookBody({ secret: rotated.body.secret })).expect(422);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const secret of [created.body.secret, rotated.body.secret]) {
      expect(lines.filter((line) => line.includes(secret) || line.includes(secret.slice('whsec_'.length)))).toEqual([]);
    }
  });
});

describe.each(testBackends())('webhooks API with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend, { env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it.each([['http://127.0.0.1:9/hook'], ['http://localhost:3000/hook'], ['http://[::1]/hook'], ['https://10.0.0.5/x']])(
    'accepts %s',
    async (url) => {
      expect((await api.post('/api/v1/webhooks', webhookBody({ url })).expect(201)).body.url).toBe(url);
    },
  );

  it('still refuses what is not an http(s) URL, and credentials', async () => {
    await api.post('/api/v1/webhooks', webhookBody({ url: 'file:///etc/passwd' })).expect(422);
    await api.post('/api/v1/webhooks', webhookBody({ url: 'http://a:b@127.0.0.1/' })).expect(422);
  });
});
