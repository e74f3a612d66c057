import { NotFoundError } from '../../domain/errors';
import type { Webhook, WebhookDelivery } from '../../domain/webhook';
import type { Page } from '../page';
import type { DeliveryListQuery, TestEvent, WebhookListQuery, WebhookReplaceOptions, WebhookRepository } from '../webhook.repository';
import { instantOrder, memoryKeysetPage } from './memory-keyset';
import { instant, isoOf, type MemoryAccess, type MemoryTables } from './memory-tables';
import type { StoredWebhook, StoredWebhookDelivery } from './memory-webhook-rows';

/** Newest first, ties by id, as the SQL adapter pages on (created_at, id). */
const NEWEST_WEBHOOKS = instantOrder<StoredWebhook>(
  'desc',
  (row) => row.createdAt,
  (row) => isoOf(row.createdAt),
);
const NEWEST_DELIVERIES = instantOrder<StoredWebhookDelivery>(
  'desc',
  (row) => row.createdAt,
  (row) => isoOf(row.createdAt),
);

/** A copy with timestamps in the stored form, as a SQL store gives it back. */
function stored(webhook: Webhook): Webhook {
  return {
    ...webhook,
    events: [...webhook.events] as Webhook['events'],
    createdAt: isoOf(instant(webhook.createdAt)),
    updatedAt: isoOf(instant(webhook.updatedAt)),
  };
}

function copyOf(row: StoredWebhook): Webhook {
  return { ...row.webhook, events: [...row.webhook.events] as Webhook['events'] };
}

const isoOrNull = (at: number | null) => (at === null ? null : isoOf(at));

function toDelivery(tables: MemoryTables, row: StoredWebhookDelivery): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.eventId,
    type: tables.webhookEvents.get(row.eventId)?.type ?? '',
    status: row.status,
    attempts: row.attempts,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    nextAttemptAt: isoOrNull(row.nextAttemptAt),
    deliveredAt: isoOrNull(row.deliveredAt),
    createdAt: isoOf(row.createdAt),
  };
}

export class InMemoryWebhookRepository implements WebhookRepository {
  constructor(private readonly tables: MemoryAccess) {}

  async insert(webhook: Webhook, secret: string): Promise<void> {
    const row: StoredWebhook = {
      id: webhook.id,
      webhook: stored(webhook),
      secret,
      failingSince: null,
      createdAt: instant(webhook.createdAt),
    };
    await this.tables.write(({ webhooks }) => {
      if (webhooks.has(webhook.id)) throw new Error(`duplicate webhook id ${webhook.id}`);
      webhooks.set(webhook.id, row);
    });
  }

  async findById(id: string): Promise<Webhook | null> {
    const row = this.tables.read().webhooks.get(id);
    return row ? copyOf(row) : null;
  }

  async list(query: WebhookListQuery): Promise<Page<Webhook>> {
    const rows = [...this.tables.read().webhooks.values()];
    return memoryKeysetPage(rows, NEWEST_WEBHOOKS, query.after, query.limit, copyOf);
  }

  async replace(webhook: Webhook, expectedVersion: number, options: WebhookReplaceOptions = {}): Promise<boolean> {
    return this.tables.write(({ webhooks }) => {
      const current = webhooks.get(webhook.id);
      if (!current || current.webhook.version !== expectedVersion) return false;
      webhooks.set(webhook.id, {
        ...current,
        webhook: { ...stored(webhook), createdAt: current.webhook.createdAt },
        secret: options.secret ?? current.secret,
        failingSince: options.clearFailingSince ? null : current.failingSince,
      });
      return true;
    });
  }

  async delete(id: string, expectedVersion: number | undefined): Promise<boolean> {
    return this.tables.write(({ webhooks, webhookDeliveries }) => {
      const current = webhooks.get(id);
      if (!current || (expectedVersion !== undefined && current.webhook.version !== expectedVersion)) return false;
      webhooks.delete(id);
      for (const [deliveryId, delivery] of webhookDeliveries) if (delivery.webhookId === id) webhookDeliveries.delete(deliveryId);
      return true;
    });
  }

  async listDeliveries(webhookId: string, query: DeliveryListQuery): Promise<Page<WebhookDelivery>> {
    const tables = this.tables.read();
    const rows = [...tables.webhookDeliveries.values()].filter(
      (row) => row.webhookId === webhookId && (query.status === undefined || row.status === query.status),
    );
    return memoryKeysetPage(rows, NEWEST_DELIVERIES, query.after, query.limit, (row) => toDelivery(tables, row));
  }

  async retryDelivery(webhookId: string, deliveryId: string, now: string): Promise<WebhookDelivery | null> {
    const at = instant(now);
    return this.tables.write((tables) => {
      const current = tables.webhookDeliveries.get(deliveryId);
      if (!current || current.webhookId !== webhookId) return null;
      const leaseUntil = current.leaseUntil !== null && current.leaseUntil > at ? current.leaseUntil : null;
      const next: StoredWebhookDelivery = { ...current, status: 'pending', nextAttemptAt: at, leaseUntil, updatedAt: at };
      tables.webhookDeliveries.set(deliveryId, next);
      return toDelivery(tables, next);
    });
  }

  async insertTestEvent(webhookId: string, event: TestEvent): Promise<void> {
    const at = instant(event.at);
    await this.tables.write(({ webhooks, webhookEvents, webhookDeliveries }) => {
      if (!webhooks.has(webhookId)) throw new NotFoundError('Webhook', webhookId);
      const payload = JSON.stringify(event.payload);
      webhookEvents.set(event.eventId, { id: event.eventId, type: event.type, recordId: null, payload, createdAt: at, fannedOutAt: at });
      webhookDeliveries.set(event.deliveryId, {
        id: event.deliveryId,
        webhookId,
        eventId: event.eventId,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        leaseUntil: null,
        lastStatus: null,
        lastError: null,
        deliveredAt: null,
        createdAt: at,
        updatedAt: at,
      });
    });
  }
}
