import { ALL_EVENTS, DELIVERY_STATUSES } from '../../domain/webhook';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-event';
import { cursorParam, idOut, limitParam, pageOf, text, timestampOut } from './common.schemas';
import { z } from './zod';

export const WEBHOOK_URL_MAX = 2048;

/**
 * The syntax of a destination: an absolute http(s) URL with a host and no credentials (a URL
 * is shown by the API and may reach a log line; a password in it would too). Whether the
 * address is one a webhook may reach is the service's rule: it depends on configuration.
 */
const url = z
  .string()
  .max(WEBHOOK_URL_MAX)
  .superRefine((value, ctx) => {
    // The URL parser would drop them silently; the stored text must be the URL that is called.
    if (/[\s\p{Cc}]/u.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must not contain spaces or control characters' });
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be http or https' });
    else if (parsed.hostname === '') ctx.addIssue({ code: 'custom', message: 'must name a host' });
    if (parsed.username !== '' || parsed.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'must not contain a user name or password; put a token in the path or query instead' });
    }
  })
  .openapi({
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX,
    example: 'https://hooks.example.com/crm',
    description: 'http or https, no credentials; a loopback, private or otherwise non-public IP or localhost is refused',
  });

const eventTypes = [...WEBHOOK_EVENT_TYPES, ALL_EVENTS] as const;
const events = z
  .array(z.enum(eventTypes))
  .min(1, 'must list at least one event type, or ["*"] for all')
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat an event type' })
  .refine((list) => !list.includes(ALL_EVENTS) || list.every((type) => type === ALL_EVENTS), {
    message: '"*" stands for every type: send ["*"] alone',
  })
  .openapi({ example: ['client.created', 'client.updated'], description: 'The event types to receive, or ["*"] for all of them' });

const description = text(500).openapi({ example: 'Sync to the accounting tool' });
const active = z.boolean().openapi({ description: 'false: no new events are sent to it' });

const webhookFields = {
  id: idOut,
  url: z.string().openapi({ example: 'https://hooks.example.com/crm' }),
  events: z.array(z.enum(eventTypes)).openapi({ example: ['client.created', 'client.updated'] }),
  active: z.boolean(),
  description: z.string().nullable(),
  createdAt: timestampOut,
  updatedAt: timestampOut,
  version: z.number().int().openapi({ example: 1, description: 'Starts at 1, +1 per change; also the ETag' }),
};

export const WebhookSchema = z.object(webhookFields).openapi('Webhook', { description: 'A subscription; its secret is never shown here' });

export const WebhookWithSecretSchema = z
  .object({
    ...webhookFields,
    secret: z.string().openapi({
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      description: 'The signing secret: shown by create and rotate-secret only, keep it',
    }),
  })
  .openapi('WebhookWithSecret', { description: 'A subscription with its signing secret, as create and rotate-secret answer' });

export const CreateWebhookBody = z
  .strictObject({
    url,
    events,
    description: description.nullable().default(null),
    active: active.default(true),
  })
  .openapi({ description: 'A new subscription: url and events are required' });

export const PatchWebhookBody = z
  .strictObject({
    url: url.optional(),
    events: events.optional(),
    active: active.optional().openapi({ description: 'false: no new events are sent; true again: it receives them again' }),
    description: description.nullable().optional(),
  })
  .openapi('UpdateWebhook');

export const ListWebhooksQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });
export const WebhookPageSchema = pageOf(WebhookSchema, 'WebhookPage');

export const DeliverySchema = z
  .object({
    id: idOut,
    eventId: idOut,
    type: z.string().openapi({ example: 'client.updated' }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int().openapi({ example: 1, description: 'Attempts made so far' }),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ example: 503, description: 'HTTP status of the last attempt; null without an answer' }),
    lastError: z.string().nullable().openapi({ example: 'timed out after 10000 ms' }),
    nextAttemptAt: timestampOut.nullable(),
    deliveredAt: timestampOut.nullable(),
    createdAt: timestampOut,
  })
  .openapi('WebhookDelivery');

export const ListDeliveriesQuery = z.strictObject({
  limit: limitParam,
  cursor: cursorParam,
  status: z.enum(DELIVERY_STATUSES).optional().openapi({ description: 'Only deliveries in this state' }),
});
export const DeliveryPageSchema = pageOf(DeliverySchema, 'WebhookDeliveryPage');
