import { v7 as uuidv7 } from 'uuid';
import type { Webhook } from '../../src/domain/webhook';

const NOW = '2026-01-02T03:04:05.678Z';

/** A subscription as a repository stores it, at version 1 unless told otherwise. */
export function makeWebhook(overrides: Partial<Webhook> = {}): Webhook {
  return {
    id: uuidv7(),
    url: 'https://hooks.example.com/crm',
    events: ['client.created', 'client.updated'],
    active: true,
    description: null,
    createdAt: NOW,
    updatedAt: NOW,
    version: 1,
    ...overrides,
  };
}

/** A valid POST /api/v1/webhooks body. */
export function webhookBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { url: 'https://hooks.example.com/crm', events: ['client.created'], ...overrides };
}
