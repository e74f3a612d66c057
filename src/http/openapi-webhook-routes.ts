import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { API_PREFIX } from './clients.router';
import { api, created, etag, idempotencyKey, idParam, ifMatch, json, jsonBody, problem, writeResponses } from './openapi-responses';
import {
  CreateWebhookBody,
  DeliveryPageSchema,
  DeliverySchema,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  PatchWebhookBody,
  WebhookPageSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './schemas/webhook.schemas';
import { z } from './schemas/zod';

export const WEBHOOKS_TAG = {
  name: 'Webhooks',
  description:
    'Subscriptions that receive an HTTP POST, signed the Standard Webhooks way, for each change of a client or an exchange; their delivery log.',
};

const NO_BODY = 'No body is needed; an empty JSON object is accepted, any field in it is a 422.';
const deliveryParams = z.object({
  id: idParam.shape.id,
  deliveryId: z.string().openapi({ description: 'Delivery id', example: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c' }),
});

/** The subscriptions, their secrets, their test event and their delivery log. */
export function registerWebhookRoutes(registry: OpenAPIRegistry): void {
  const webhooks = `${API_PREFIX}/webhooks`;
  const one = `${webhooks}/{id}`;
  const tags = [WEBHOOKS_TAG.name];
  const missing = problem('No such webhook');
  api(registry, {
    method: 'post',
    path: webhooks,
    operationId: 'createWebhook',
    tags,
    summary: 'Create a webhook',
    description:
      'The answer carries the signing secret, shown now and by rotate-secret only. A replay of the same Idempotency-Key by the same API key within 24 h answers the same body, secret included. A URL whose host is localhost or a loopback, private or otherwise non-public IP is a 422 unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.',
    request: { headers: idempotencyKey, body: jsonBody(CreateWebhookBody) },
    responses: { 201: created(WebhookWithSecretSchema, 'Webhook'), ...writeResponses },
  });
  api(registry, {
    method: 'get',
    path: webhooks,
    operationId: 'listWebhooks',
    tags,
    summary: 'List webhooks',
    description: 'Newest first, keyset-paginated; no secret is shown.',
    request: { query: ListWebhooksQuery },
    responses: { 200: json('A page of webhooks', WebhookPageSchema), 400: problem('Invalid query parameter or cursor') },
  });
  api(registry, {
    method: 'get',
    path: one,
    operationId: 'getWebhook',
    tags,
    summary: 'Get a webhook',
    request: { params: idParam },
    responses: { 200: json('The webhook, without its secret', WebhookSchema, { ETag: etag }), 404: missing },
  });
  api(registry, {
    method: 'patch',
    path: one,
    operationId: 'updateWebhook',
    tags,
    summary: 'Update a webhook',
    description:
      'Absent fields are kept; null clears the description. Switching it on again (active: true), or a new URL, forgets its past failures.',
    request: { params: idParam, headers: ifMatch, body: jsonBody(PatchWebhookBody) },
    responses: {
      200: json('The updated webhook', WebhookSchema, { ETag: etag }),
      404: missing,
      412: problem('If-Match does not match'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'delete',
    path: one,
    operationId: 'deleteWebhook',
    tags,
    summary: 'Delete a webhook',
    description: 'Deletes the subscription and its delivery log; nothing more is sent to it.',
    request: { params: idParam, headers: ifMatch },
    responses: {
      204: { description: 'Deleted' },
      400: problem('Invalid header'),
      404: missing,
      412: problem('If-Match does not match'),
      503: problem('Read-only mode'),
    },
  });
  api(registry, {
    method: 'post',
    path: `${one}/rotate-secret`,
    operationId: 'rotateWebhookSecret',
    tags,
    summary: "Rotate a webhook's secret",
    description: `A new signing secret, used from now on (retries included); the old one stops at once. ${NO_BODY}`,
    request: { params: idParam, headers: ifMatch },
    responses: {
      200: json('The webhook with its new secret, at a new version', WebhookWithSecretSchema, { ETag: etag }),
      404: missing,
      412: problem('If-Match does not match'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'post',
    path: `${one}/test`,
    operationId: 'testWebhook',
    tags,
    summary: 'Send a test event',
    description: `Queues a webhook.test event for this webhook only, data { webhookId, message }; its delivery shows in the log. An inactive webhook is a 409. ${NO_BODY}`,
    request: { params: idParam },
    responses: {
      202: json('The queued delivery', DeliverySchema),
      404: missing,
      409: problem('The webhook is not active: nothing is sent to it'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'get',
    path: `${one}/deliveries`,
    operationId: 'listWebhookDeliveries',
    tags,
    summary: "List a webhook's deliveries",
    description: 'Newest first, keyset-paginated; filter by status. Delivered and failed ones are kept WEBHOOK_LOG_RETENTION_DAYS.',
    request: { params: idParam, query: ListDeliveriesQuery },
    responses: {
      200: json('A page of deliveries', DeliveryPageSchema),
      400: problem('Invalid query parameter or cursor'),
      404: missing,
    },
  });
  api(registry, {
    method: 'post',
    path: `${one}/deliveries/{deliveryId}/retry`,
    operationId: 'retryWebhookDelivery',
    tags,
    summary: 'Retry a delivery',
    description: `Queues the delivery again, due now, whatever its status; it keeps its webhook-id, so a receiver that already has it can tell. An inactive webhook is a 409. ${NO_BODY}`,
    request: { params: deliveryParams },
    responses: {
      202: json('The queued delivery', DeliverySchema),
      404: problem('No such webhook, or no such delivery of it'),
      409: problem('The webhook is not active: nothing is sent to it'),
      ...writeResponses,
    },
  });
}
