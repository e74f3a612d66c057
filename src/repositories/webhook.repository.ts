import type { DeliveryStatus, Webhook, WebhookDelivery } from '../domain/webhook';
import type { KeysetPosition, Page } from './page';

export interface WebhookListQuery {
  readonly limit: number;
  /** Newest createdAt first; the position is (createdAt, id). */
  readonly after: KeysetPosition | null;
}

export interface DeliveryListQuery {
  readonly limit: number;
  /** Newest createdAt first; the position is (createdAt, id). */
  readonly after: KeysetPosition | null;
  readonly status?: DeliveryStatus;
}

/** How a replace changes what the API does not show. */
export interface WebhookReplaceOptions {
  /** A new signing secret (a rotation). */
  readonly secret?: string;
  /** Forget since when deliveries have failed: the subscription was switched on again. */
  readonly clearFailingSince?: boolean;
}

/** The event POST /webhooks/:id/test sends, and its one delivery. */
export interface TestEvent {
  readonly eventId: string;
  readonly deliveryId: string;
  readonly type: string;
  /** The event's `data`. */
  readonly payload: unknown;
  readonly at: string;
}

/**
 * Webhook subscriptions and what the API shows and does of their deliveries. Every write is
 * atomic by itself; updates are conditional on the version read, so none is lost.
 */
export interface WebhookRepository {
  insert(webhook: Webhook, secret: string): Promise<void>;
  findById(id: string): Promise<Webhook | null>;
  list(query: WebhookListQuery): Promise<Page<Webhook>>;
  /** Writes the new state if the subscription is still at expectedVersion. */
  replace(webhook: Webhook, expectedVersion: number, options?: WebhookReplaceOptions): Promise<boolean>;
  /**
   * Deletes the subscription (at expectedVersion, when given) and its deliveries; the events
   * stay for the other subscriptions. False when none matched.
   */
  delete(id: string, expectedVersion: number | undefined): Promise<boolean>;
  /** The subscription's deliveries, newest first, each with its event's type. */
  listDeliveries(webhookId: string, query: DeliveryListQuery): Promise<Page<WebhookDelivery>>;
  /**
   * Queues the delivery again, due at `now`, whatever its status, keeping its attempts so far. A
   * delivery being attempted right now keeps its lease, so it is not sent twice at once. Null
   * when the subscription has no such delivery.
   */
  retryDelivery(webhookId: string, deliveryId: string, now: string): Promise<WebhookDelivery | null>;
  /**
   * Writes the test event, already fanned out (no other subscription gets it), and its pending
   * delivery to this subscription, due at once: both or neither.
   */
  insertTestEvent(webhookId: string, event: TestEvent): Promise<void>;
}
