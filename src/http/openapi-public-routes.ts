import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { DOCS_ASSET_PATH, DOCS_PATH } from './docs.router';
import { json, problem, publicResponses, type Operation } from './openapi-responses';
import { z } from './schemas/zod';

export const OPENAPI_PATH = '/openapi.json';

function publicRoute(registry: OpenAPIRegistry, operation: Operation): void {
  registry.registerPath({ ...operation, tags: ['Operations'], security: [], responses: { ...operation.responses, ...publicResponses } });
}

const HealthSchema = z.object({
  status: z.literal('ok'),
  storage: z.object({ driver: z.enum(['sqlite', 'postgres']), persistent: z.boolean(), location: z.string(), reason: z.string() }),
  migrations: z.object({ applied: z.number().int(), pending: z.number().int(), current: z.string().nullable() }),
  backup: z
    .object({
      ok: z.boolean(),
      lastAt: z.string().nullable(),
      ageSeconds: z.number().int().nullable(),
      location: z.string().nullable().openapi({ description: 'The s3:// address of the newest copy once uploaded, else its local file' }),
      local: z.string().nullable(),
      remote: z.string().nullable(),
      intervalSeconds: z.number().int(),
      keep: z.number().int(),
      nextAt: z.string().nullable(),
      running: z.boolean(),
      overdue: z.boolean(),
      error: z.string().nullable().openapi({ description: 'The last failure, starting with "backup failed"' }),
    })
    .nullable()
    .openapi({ description: 'Scheduled backups; null when they are off (BACKUP_INTERVAL=0, or no disk and no bucket)' }),
  webhooks: z
    .object({
      active: z.number().int().openapi({ description: 'Active subscriptions' }),
      deactivated: z
        .number()
        .int()
        .openapi({ description: 'Subscriptions switched off because every delivery to them failed for 24 hours' }),
      pendingDeliveries: z
        .number()
        .int()
        .openapi({ description: 'Deliveries to active subscriptions waiting for an attempt, retries included' }),
      oldestPendingSeconds: z
        .number()
        .int()
        .nullable()
        .openapi({ description: 'Age of the oldest event not yet delivered to an active subscription; null when none waits' }),
    })
    .nullable()
    .openapi({ description: 'Webhook delivery; null when its tables cannot be read (their migration pending)' }),
  warnings: z.array(z.string()),
});

const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string().openapi({ example: '3.1.0' }),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
});

/** The routes served without an API key: the health check and this reference. */
export function registerPublicRoutes(registry: OpenAPIRegistry): void {
  publicRoute(registry, {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Health check',
    description: 'Where the data lives, whether it is persistent, migration state, the last backup.',
    responses: { 200: json('The database answers', HealthSchema), 503: problem('The database does not answer') },
  });
  publicRoute(registry, {
    method: 'get',
    path: OPENAPI_PATH,
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI document',
    responses: { 200: json('The OpenAPI 3.1 document of every route', OpenApiDocumentSchema) },
  });
  publicRoute(registry, {
    method: 'get',
    path: DOCS_PATH,
    operationId: 'getApiReference',
    summary: 'API reference page',
    description: 'This document rendered as HTML, with every asset served from here (no CDN).',
    responses: { 200: { description: 'The HTML page', content: { 'text/html': { schema: z.string() } } } },
  });
  publicRoute(registry, {
    method: 'get',
    path: DOCS_ASSET_PATH,
    operationId: 'getApiReferenceScript',
    summary: 'API reference script',
    description: 'The renderer the reference page loads; cacheable for good, since its URL changes with its content.',
    request: {
      query: z.object({ v: z.string().optional().openapi({ description: 'Content hash that busts caches; any value is served' }) }),
    },
    responses: {
      200: { description: 'The script, gzipped if accepted', content: { 'text/javascript': { schema: z.string() } } },
      304: { description: 'Not modified: If-None-Match carries the current ETag' },
    },
  });
}
