import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from './schemas/common.schemas';
import { z } from './schemas/zod';

/** The building blocks of the operations in /openapi.json: responses and the headers they share. */
export type Responses = RouteConfig['responses'];

/** Every operation has a stable camelCase operationId: generated clients name their methods after it. */
export type Operation = RouteConfig & { operationId: string; summary: string };

export const jsonBody = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

export const json = (description: string, schema: z.ZodType, headers?: Record<string, z.ZodType>) => ({
  description,
  content: { 'application/json': { schema } },
  ...(headers ? { headers: z.object(headers) } : {}),
});

export const etag = z.string().openapi({ description: 'The resource version, quoted: "3"', example: '"3"' });

export const created = (schema: z.ZodType, what: string) =>
  json(`${what} created (or replayed for a repeated Idempotency-Key)`, schema, { ETag: etag, Location: z.string() });

export const idParam = z.object({
  id: z.string().openapi({ description: 'Resource id', example: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b' }),
});

export const ifMatch = z.object({
  'If-Match': z.string().optional().openapi({
    description: 'Apply only if the resource is still at this strong ETag; 412 otherwise',
    example: '"1"',
  }),
});

export const idempotencyKey = z.object({
  'Idempotency-Key': z.string().max(255).optional().openapi({
    description: 'Retry-safe POST: the same key and body replay the first response for 24 h; another body is a 422',
    example: '4f7c1a2e-create-helene',
  }),
});

/** What every /api/v1 operation may answer besides its own responses. */
export const apiResponses: Responses = {
  401: problem('Missing or invalid API key'),
  429: problem('Rate limit exceeded'),
  500: problem('Unexpected error (no details are exposed)'),
};

/** What every write may answer: its body is read, validated, and refused in read-only mode. */
export const writeResponses: Responses = {
  400: problem('Malformed JSON or invalid header'),
  413: problem('Body larger than the limit'),
  415: problem('Body is not application/json'),
  422: problem('Validation failed; errors lists each field'),
  503: problem('Read-only mode: retry later'),
};

/** Registers an /api/v1 operation: it needs the bearer key and may answer what every API route may. */
export function api(registry: OpenAPIRegistry, operation: Operation): void {
  registry.registerPath({ ...operation, security: [{ bearerAuth: [] }], responses: { ...operation.responses, ...apiResponses } });
}

/**
 * The public routes take no input the app could refuse; the one client error they can get is
 * from Node's HTTP server, before the app sees the request.
 */
export const publicResponses: Responses = {
  '4XX': { description: 'A request the HTTP server could not parse (400) or with headers too large (431); no body' },
};
