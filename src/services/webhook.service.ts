import { v7 as uuidv7 } from 'uuid';
import { ConflictError, NotFoundError, ValidationError, VersionConflictError } from '../domain/errors';
import {
  newWebhookSecret,
  type DeliveryStatus,
  type Webhook,
  type WebhookDelivery,
  type WebhookFields,
  type WebhookWithSecret,
} from '../domain/webhook';
import { WEBHOOK_TEST_EVENT } from '../domain/webhook-event';
import type { UnitOfWork } from '../repositories/unit-of-work';
import { isLocalhostName, isPublicAddress, literalAddressOf } from '../webhooks/address-policy';
import { changes, laterThan, type ListResult } from './client.service';
import type { Clock } from './clock';
import { cursorContext, decodeCursor, encodeCursor } from './cursor';
import { updateOptimistically } from './optimistic-update';
import { NO_OUTBOX_SIGNAL, type OutboxSignal } from './outbox-signal';

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: loopback and private destinations are allowed (tests, a private network). */
  readonly allowPrivateNetworks: boolean;
}

export interface PageParams {
  limit: number;
  cursor?: string;
}

const TEST_MESSAGE = 'A test event sent from the CRM: if you can read this, the subscription works.';
const NOT_PUBLIC =
  'must not point to localhost or to a loopback, private, link-local or otherwise non-public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true allows it)';

/**
 * Webhook subscriptions and their delivery log. A subscription's secret is returned by create
 * and rotateSecret only. Retries and tests only write rows: the dispatcher sends them, outside
 * any request, woken by the outbox signal.
 */
export class WebhookService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    private readonly signal: OutboxSignal = NO_OUTBOX_SIGNAL,
  ) {}

  /** The same use cases on another unit of work: an open transaction (an idempotent POST's) they join. */
  joining(uow: UnitOfWork): WebhookService {
    return new WebhookService(uow, this.clock, this.settings, this.signal);
  }

  async create(fields: WebhookFields): Promise<WebhookWithSecret> {
    this.checkDestination(fields.url);
    const now = this.clock();
    const webhook: Webhook = { id: uuidv7(), ...fields, createdAt: now, updatedAt: now, version: 1 };
    const secret = newWebhookSecret();
    await this.uow.repositories.webhooks.insert(webhook, secret);
    // A dispatcher that knew of no subscription learns of this one at once.
    this.signal.notify();
    return { ...webhook, secret };
  }

  async get(id: string): Promise<Webhook> {
    const webhook = await this.uow.repositories.webhooks.findById(id);
    if (!webhook) throw new NotFoundError('Webhook', id);
    return webhook;
  }

  async list(params: PageParams): Promise<ListResult<Webhook>> {
    const context = cursorContext('webhooks:-createdAt', 'timestamp', {});
    const page = await this.uow.repositories.webhooks.list({
      limit: params.limit,
      after: params.cursor ? decodeCursor(params.cursor, context) : null,
    });
    return { data: page.data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }

  /**
   * A new URL, or switching the subscription on again, forgets since when its deliveries failed:
   * the 24 hours before it is switched off for failing start again.
   */
  async update(id: string, patch: Partial<WebhookFields>, expectedVersion?: number): Promise<Webhook> {
    if (patch.url !== undefined) this.checkDestination(patch.url);
    const webhooks = this.uow.repositories.webhooks;
    let changed = false;
    const updated = await updateOptimistically<Webhook>({
      resource: 'Webhook',
      id,
      expectedVersion,
      load: () => webhooks.findById(id),
      change: (current) => {
        if (!changes(current, patch)) return null;
        changed = true;
        return { ...current, ...patch, updatedAt: laterThan(this.clock(), current.updatedAt), version: current.version + 1 };
      },
      save: (next, current) =>
        webhooks.replace(next, current.version, { clearFailingSince: next.url !== current.url || (next.active && !current.active) }),
    });
    // Switched on again, or asking for other events: the dispatcher looks again now (its
    // pending deliveries resume) rather than at its next slow poll.
    if (changed) this.signal.notify();
    return updated;
  }

  async delete(id: string, expectedVersion?: number): Promise<void> {
    const webhooks = this.uow.repositories.webhooks;
    if (await webhooks.delete(id, expectedVersion)) return;
    const current = await webhooks.findById(id);
    if (!current) throw new NotFoundError('Webhook', id);
    throw new VersionConflictError(expectedVersion, current.version);
  }

  /** A new secret, at once: deliveries signed from now on use it (a retried one included). */
  async rotateSecret(id: string, expectedVersion?: number): Promise<WebhookWithSecret> {
    const webhooks = this.uow.repositories.webhooks;
    const secret = newWebhookSecret();
    const webhook = await updateOptimistically<Webhook>({
      resource: 'Webhook',
      id,
      expectedVersion,
      load: () => webhooks.findById(id),
      change: (current) => ({ ...current, updatedAt: laterThan(this.clock(), current.updatedAt), version: current.version + 1 }),
      save: (next, current) => webhooks.replace(next, current.version, { secret }),
    });
    return { ...webhook, secret };
  }

  /** Queues a `webhook.test` event for this subscription only; answers its delivery, pending. */
  async test(id: string): Promise<WebhookDelivery> {
    const webhook = await this.activeWebhook(id);
    const at = this.clock();
    const event = {
      eventId: uuidv7(),
      deliveryId: uuidv7(),
      type: WEBHOOK_TEST_EVENT,
      payload: { webhookId: webhook.id, message: TEST_MESSAGE },
      at,
    };
    await this.uow.repositories.webhooks.insertTestEvent(webhook.id, event);
    this.signal.notify();
    return {
      id: event.deliveryId,
      eventId: event.eventId,
      type: event.type,
      status: 'pending',
      attempts: 0,
      lastStatus: null,
      lastError: null,
      nextAttemptAt: at,
      deliveredAt: null,
      createdAt: at,
    };
  }

  async listDeliveries(id: string, params: PageParams & { status?: DeliveryStatus }): Promise<ListResult<WebhookDelivery>> {
    await this.get(id);
    const context = cursorContext('deliveries:-createdAt', 'timestamp', { webhookId: id, status: params.status });
    const page = await this.uow.repositories.webhooks.listDeliveries(id, {
      limit: params.limit,
      after: params.cursor ? decodeCursor(params.cursor, context) : null,
      status: params.status,
    });
    return { data: page.data, nextCursor: page.nextPosition ? encodeCursor(page.nextPosition, context) : null };
  }

  /** Sends the delivery again as soon as the dispatcher can, whatever its state. */
  async retryDelivery(id: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.activeWebhook(id);
    const delivery = await this.uow.repositories.webhooks.retryDelivery(id, deliveryId, this.clock());
    if (!delivery) throw new NotFoundError('Delivery', deliveryId);
    this.signal.notify();
    return delivery;
  }

  /**
   * Nothing is sent to a subscription that is switched off (the dispatcher skips it): a test or
   * a retry would wait, unseen, until it is switched on, so it is refused instead.
   */
  private async activeWebhook(id: string): Promise<Webhook> {
    const webhook = await this.get(id);
    if (!webhook.active) throw new ConflictError(`Webhook ${id} is not active: switch it on (PATCH active: true) first`);
    return webhook;
  }

  /**
   * A literal address or localhost is refused here, once; a host name is checked by the
   * dispatcher on the address it resolves to at each delivery, which can change (DNS rebinding).
   */
  private checkDestination(url: string): void {
    if (this.settings.allowPrivateNetworks) return;
    const parsed = new URL(url);
    const literal = literalAddressOf(parsed);
    if ((literal !== null && !isPublicAddress(literal)) || isLocalhostName(parsed.hostname)) {
      throw new ValidationError([{ path: 'url', message: NOT_PUBLIC }]);
    }
  }
}
