import { randomBytes } from 'node:crypto';
import type { WebhookEventType } from './webhook-event';

export const ALL_EVENTS = '*' as const;

/**
 * What a subscription asks for: some event types, or ["*"] for every one, new types included
 * (validation keeps "*" alone).
 */
export type WebhookEventSelection = readonly (WebhookEventType | typeof ALL_EVENTS)[];

/** A subscription as the API shows it. Its signing secret is kept apart: it is shown twice at most. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: WebhookEventSelection;
  readonly active: boolean;
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** The answer of a create or a secret rotation: the only times the secret is shown. */
export interface WebhookWithSecret extends Webhook {
  readonly secret: string;
}

/** The fields a caller controls. */
export type WebhookFields = Pick<Webhook, 'url' | 'events' | 'active' | 'description'>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event sent (or to be sent) to one subscription, with what its attempts gave so far. */
export interface WebhookDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  /** The HTTP status of the last attempt; null before any, or when no answer came. */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly createdAt: string;
}

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/**
 * A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes (the spec asks
 * for 24 to 64). Receivers give it as it is to their verifier, which decodes the key from it.
 */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}
