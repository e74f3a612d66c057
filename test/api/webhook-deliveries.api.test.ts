import { WEBHOOK_TEST_EVENT } from '../../src/domain/webhook-event';
import { webhookBody } from '../factories/webhooks';
import { startApiHarness, type ApiHarness } from '../support/api-harness';
import { testBackends } from '../support/test-databases';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The test event, the delivery log and manual retries; what the dispatcher does is tested on its own. */
describe.each(testBackends())('webhook deliveries API on %s', (backend) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness(backend);
  });
  afterAll(async () => {
    await api.close();
  });

  const create = async (overrides: Record<string, unknown> = {}) =>
    (await api.post('/api/v1/webhooks', webhookBody(overrides)).expect(201)).body as { id: string };
  const at = (iso: string) => api.database.dialect.toDbTimestamp(iso);
  const errorPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((error) => error.path);
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
