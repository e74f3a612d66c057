import type { HistoryAction, RecordType } from './history';

/** What a subscription can ask for (`events`), besides ["*"] for all of them. */
export const WEBHOOK_EVENT_TYPES = [
  'client.created',
  'client.updated',
  'client.deleted',
  'client.restored',
  'client.merged',
  'exchange.created',
  'exchange.updated',
  'exchange.deleted',
  'exchange.restored',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST /api/v1/webhooks/:id/test` to that subscription only; no subscription asks for it. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/**
 * The event a history entry announces. An import creates or updates (created or updated, by
 * the version it produced); a merge is announced for the surviving client only.
 */
export function eventTypeOf(recordType: RecordType, action: HistoryAction, version: number): WebhookEventType | null {
  switch (action) {
    case 'created':
    case 'updated':
    case 'deleted':
    case 'restored':
      return `${recordType}.${action}`;
    case 'imported':
      return `${recordType}.${version === 1 ? 'created' : 'updated'}`;
    case 'merged':
      return recordType === 'client' ? 'client.merged' : 'exchange.updated';
  }
}
