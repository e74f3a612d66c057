import { defineTable, type RowOf } from './table-definition';

/** Webhook subscriptions. `active` is 0 or 1; `events` a JSON array of event types or ["*"]. */
export const webhooksTable = defineTable()({
  name: 'webhooks',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', type: 'uuid' },
    { sql: 'url', type: 'text' },
    { sql: 'events', type: 'json-text' },
    { sql: 'active', type: 'int' },
    { sql: 'description', type: 'text', nullable: true },
    { sql: 'secret', type: 'text' },
    { sql: 'created_at', type: 'timestamp' },
    { sql: 'updated_at', type: 'timestamp' },
    { sql: 'version', type: 'int' },
    { sql: 'failing_since', type: 'timestamp', nullable: true },
  ],
});

/** The outbox: one row per change some subscription wanted, written with the change. */
export const webhookEventsTable = defineTable()({
  name: 'webhook_events',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', type: 'uuid' },
    { sql: 'type', type: 'text' },
    { sql: 'record_id', type: 'uuid', nullable: true },
    { sql: 'payload', type: 'json-text' },
    { sql: 'created_at', type: 'timestamp' },
    { sql: 'fanned_out_at', type: 'timestamp', nullable: true },
  ],
});

/** One delivery of one event to one subscription, with its attempts so far. */
export const webhookDeliveriesTable = defineTable()({
  name: 'webhook_deliveries',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', type: 'uuid' },
    { sql: 'webhook_id', type: 'uuid' },
    { sql: 'event_id', type: 'uuid' },
    { sql: 'status', type: 'text' },
    { sql: 'attempts', type: 'int' },
    { sql: 'next_attempt_at', type: 'timestamp', nullable: true },
    { sql: 'lease_until', type: 'timestamp', nullable: true },
    { sql: 'last_status', type: 'int', nullable: true },
    { sql: 'last_error', type: 'text', nullable: true },
    { sql: 'delivered_at', type: 'timestamp', nullable: true },
    { sql: 'created_at', type: 'timestamp' },
    { sql: 'updated_at', type: 'timestamp' },
  ],
});

export type WebhookRow = RowOf<typeof webhooksTable>;
export type WebhookEventRow = RowOf<typeof webhookEventsTable>;
export type WebhookDeliveryRow = RowOf<typeof webhookDeliveriesTable>;
