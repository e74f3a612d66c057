import { v7 as uuidv7 } from 'uuid';
import { NotFoundError } from '../../src/domain/errors';
import type { Webhook } from '../../src/domain/webhook';
import { WEBHOOK_TEST_EVENT } from '../../src/domain/webhook-event';
import type { KeysetPosition } from '../../src/repositories/page';
import type { Repositories } from '../../src/repositories/unit-of-work';
import { openUnitOfWork, testTiers, type OpenedUnitOfWork } from '../factories/units-of-work';
import { makeWebhook } from '../factories/webhooks';

// Instants with milliseconds a lossy store would drop.
const T0 = '2026-01-02T03:04:05.678Z';
const T1 = '2026-02-01T10:00:00.001Z';
const T2 = '2026-02-02T10:00:00.002Z';

describe.each(testTiers())('webhook repository contract on %s', (tier) => {
  let opened: OpenedUnitOfWork;
  let repos: Repositories;
  beforeEach(async () => {
    opened = await openUnitOfWork(tier);
    repos = opened.uow.repositories;
  });
  afterEach(async () => {
    await opened.close();
  });

  async function addWebhook(overrides: Partial<Webhook> = {}): Promise<Webhook> {
    const webhook = makeWebhook(overrides);
    await repos.webhooks.insert(webhook, 'whsec_c2VjcmV0');
    return webhook;
  }
  async function addTestDelivery(webhookId: string, at: string): Promise<{ eventId: string; deliveryId: string }> {
    const ids = { eventId: uuidv7(), deliveryId: uuidv7() };
    await repos.webhooks.insertTestEvent(webhookId, { ...ids, type: WEBHOOK_TEST_EVENT, payload: { webhookId, message: 'hi' }, at });
    return ids;
  }
  /** Every page, following the positions; the ids of each. */
  async function pages<T extends { id: string }>(
    list: (after: KeysetPosition | null) => Promise<{ data: T[]; nextPosition: KeysetPosition | null }>,
  ) {
    const seen: string[][] = [];
    let after: KeysetPosition | null = null;
    do {
      const page: { data: T[]; nextPosition: KeysetPosition | null } = await list(after);
      seen.push(page.data.map((item) => item.id));
      after = page.nextPosition;
    } while (after);
    return seen;
  }

  it('stores a subscription and reads it back as it was, without its secret', async () => {
    const webhook = await addWebhook({ events: ['*'], description: 'Zapier – été', active: false, createdAt: T0, updatedAt: T1 });
    const found = await repos.webhooks.findById(webhook.id);
    expect(found).toEqual(webhook);
    expect(found).not.toHaveProperty('secret');
    expect(await repos.webhooks.findById(uuidv7())).toBeNull();
  });

  it('lists newest first, ties by id, page after page with nothing repeated or skipped', async () => {
    const made = [
      await addWebhook({ createdAt: T0 }),
      await addWebhook({ createdAt: T1 }),
      await addWebhook({ createdAt: T1 }),
      await addWebhook({ createdAt: T1 }),
      await addWebhook({ createdAt: T2 }),
    ];
    const expected = [...made]
      .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
      .map((webhook) => webhook.id);
    const seen = await pages((after) => repos.webhooks.list({ limit: 2, after }));
    expect(seen).toEqual([expected.slice(0, 2), expected.slice(2, 4), expected.slice(4)]);
  });

  it('replaces only at the expected version', async () => {
    const webhook = await addWebhook({ createdAt: T0, updatedAt: T0 });
    const next: Webhook = {
      ...webhook,
      url: 'http://other.example.org/x',
      events: ['exchange.deleted'],
      active: false,
      description: 'd',
      updatedAt: T1,
      version: 2,
    };
    expect(await repos.webhooks.replace(next, 3)).toBe(false);
    expect(await repos.webhooks.findById(webhook.id)).toEqual(webhook);
    expect(await repos.webhooks.replace(next, 1, { secret: 'whsec_bmV3', clearFailingSince: true })).toBe(true);
    expect(await repos.webhooks.findById(webhook.id)).toEqual(next);
    expect(await repos.webhooks.replace({ ...next, version: 3 }, 1)).toBe(false);
  });

  it('deletes at the expected version (or any), with its deliveries', async () => {
    const webhook = await addWebhook();
    const other = await addWebhook();
    await addTestDelivery(webhook.id, T0);
    const kept = await addTestDelivery(other.id, T0);
    expect(await repos.webhooks.delete(webhook.id, 2)).toBe(false);
    expect(await repos.webhooks.delete(webhook.id, 1)).toBe(true);
    expect(await repos.webhooks.findById(webhook.id)).toBeNull();
    expect((await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null })).data).toEqual([]);
    expect((await repos.webhooks.listDeliveries(other.id, { limit: 10, after: null })).data.map((d) => d.id)).toEqual([kept.deliveryId]);
    expect(await repos.webhooks.delete(webhook.id, undefined)).toBe(false);
    expect(await repos.webhooks.delete(other.id, undefined)).toBe(true);
  });

  it('writes a test event with its one pending delivery, due at once, and lists it with its type', async () => {
    const webhook = await addWebhook();
    const { eventId, deliveryId } = await addTestDelivery(webhook.id, T1);
    const page = await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null });
    expect(page).toEqual({
      data: [
        {
          id: deliveryId,
          eventId,
          type: WEBHOOK_TEST_EVENT,
          status: 'pending',
          attempts: 0,
          lastStatus: null,
          lastError: null,
          nextAttemptAt: T1,
          deliveredAt: null,
          createdAt: T1,
        },
      ],
      nextPosition: null,
    });
  });

  it('refuses a test event for a subscription that does not exist, writing nothing', async () => {
    const missing = uuidv7();
    await expect(addTestDelivery(missing, T0)).rejects.toBeInstanceOf(NotFoundError);
    expect((await repos.webhooks.listDeliveries(missing, { limit: 10, after: null })).data).toEqual([]);
  });

  it('lists deliveries newest first, paged, filtered by status, only the subscription’s own', async () => {
    const webhook = await addWebhook();
    const other = await addWebhook();
    const ids = [];
    for (const at of [T0, T1, T1, T2]) ids.push((await addTestDelivery(webhook.id, at)).deliveryId);
    await addTestDelivery(other.id, T2);
    const [d0, d1, d2, d3] = ids as [string, string, string, string];
    const tied = d1 > d2 ? [d1, d2] : [d2, d1];
    const seen = await pages((after) => repos.webhooks.listDeliveries(webhook.id, { limit: 3, after }));
    expect(seen).toEqual([[d3, ...tied], [d0]]);
    expect((await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null, status: 'pending' })).data).toHaveLength(4);
    expect((await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null, status: 'failed' })).data).toEqual([]);
    expect((await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null, status: 'delivered' })).data).toEqual([]);
  });

  it('queues a delivery again, due now, keeping its attempts; not through another subscription', async () => {
    const webhook = await addWebhook();
    const other = await addWebhook();
    const { deliveryId } = await addTestDelivery(webhook.id, T0);
    expect(await repos.webhooks.retryDelivery(other.id, deliveryId, T2)).toBeNull();
    expect(await repos.webhooks.retryDelivery(webhook.id, uuidv7(), T2)).toBeNull();
    const retried = await repos.webhooks.retryDelivery(webhook.id, deliveryId, T2);
    expect(retried).toMatchObject({
      id: deliveryId,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T2,
      createdAt: T0,
      type: WEBHOOK_TEST_EVENT,
    });
    expect((await repos.webhooks.listDeliveries(webhook.id, { limit: 10, after: null })).data).toEqual([retried]);
  });
});
