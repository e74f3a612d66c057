import type { DeliveryStatus, Webhook } from '../../domain/webhook';

/** A row of webhooks: the subscription as the API shows it, and what it does not show. */
export interface StoredWebhook {
  readonly id: string;
  readonly webhook: Webhook;
  readonly secret: string;
  readonly failingSince: number | null;
  readonly createdAt: number;
}

/** A row of webhook_events; the payload is the JSON text the SQL adapters store. */
export interface StoredWebhookEvent {
  readonly id: string;
  readonly type: string;
  readonly recordId: string | null;
  readonly payload: string;
  readonly createdAt: number;
  readonly fannedOutAt: number | null;
}

/** A row of webhook_deliveries; instants as numbers, as the databases compare them. */
export interface StoredWebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly leaseUntil: number | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}
