import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { ClientPageSchema, ClientSchema, CreateClientBody, ListClientsQuery, PatchClientBody } from './schemas/client.schemas';
import { ProblemSchema } from './schemas/common.schemas';
import {
  CreateExchangeBody, ExchangePageSchema, ExchangeSchema, ListExchangesQuery, PatchExchangeBody, TimelineQuery,
} from './schemas/exchange.schemas';
import { z } from './schemas/zod';

type Responses = RouteConfig['responses'];

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });
const json = (description: string, schema: z.ZodType, headers?: Record<string, z.ZodType>) => ({
  description,
  content: { 'application/json': { schema } },
  ...(headers ? { headers: z.object(headers) } : {}),
});

const etag = z.string().openapi({ description: 'The resource version, quoted: "3"', example: '"3"' });
const idParam = z.object({ id: z.string().openapi({ description: 'Resource id', example: '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b' }) });
const ifMatch = z.object({
  'if-match': z.string().optional().openapi({ description: 'Apply only if the ETag still matches; 412 otherwise', example: '"1"' }),
});
const idempotencyKey = z.object({
  'idempotency-key': z.string().max(255).optional().openapi({
    description: 'Retry-safe POST: the same key and body replay the first response for 24 h; another body is a 422',
    example: '4f7c1a2e-create-helene',
  }),
});

const common: Responses = {
  401: problem('Missing or invalid API key'),
  429: problem('Rate limit exceeded'),
  500: problem('Unexpected error (no details are exposed)'),
};
const forWrites: Responses = {
  400: problem('Malformed JSON or invalid header'),
  413: problem('Body larger than the limit'),
  415: problem('Body is not application/json'),
  422: problem('Validation failed; errors lists each field'),
  503: problem('Read-only mode: retry later'),
};

function register(registry: OpenAPIRegistry, route: RouteConfig): void {
  registry.registerPath({ ...route, security: [{ bearerAuth: [] }], responses: { ...route.responses, ...common } });
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', description: 'One of API_KEYS' });
  const created = (schema: z.ZodType, what: string) =>
    json(`${what} created (or replayed for a repeated Idempotency-Key)`, schema, { ETag: etag, Location: z.string() });

  const clients = '/api/v1/clients';
  register(registry, { method: 'get', path: clients, tags: ['Clients'], summary: 'List clients', description: 'Keyset-paginated; search with q, filter by status, tag or updatedSince.', request: { query: ListClientsQuery }, responses: { 200: json('A page of clients', ClientPageSchema), 400: problem('Invalid query parameter or cursor') } });
  register(registry, { method: 'post', path: clients, tags: ['Clients'], summary: 'Create a client', request: { headers: idempotencyKey, body: { content: { 'application/json': { schema: CreateClientBody } } } }, responses: { 201: created(ClientSchema, 'Client'), ...forWrites } });
  register(registry, { method: 'get', path: `${clients}/{id}`, tags: ['Clients'], summary: 'Get a client', request: { params: idParam }, responses: { 200: json('The client', ClientSchema, { ETag: etag }), 404: problem('No such client') } });
  register(registry, { method: 'patch', path: `${clients}/{id}`, tags: ['Clients'], summary: 'Update a client', description: 'JSON merge semantics: absent fields are kept, null clears a nullable field.', request: { params: idParam, headers: ifMatch, body: { content: { 'application/json': { schema: PatchClientBody } } } }, responses: { 200: json('The updated client', ClientSchema, { ETag: etag }), 404: problem('No such client'), 412: problem('If-Match does not match'), ...forWrites } });
  register(registry, { method: 'delete', path: `${clients}/{id}`, tags: ['Clients'], summary: 'Delete a client', description: 'Deletes the client and all of its exchanges.', request: { params: idParam, headers: ifMatch }, responses: { 204: { description: 'Deleted' }, 404: problem('No such client'), 412: problem('If-Match does not match'), 503: problem('Read-only mode') } });
  register(registry, { method: 'get', path: `${clients}/{id}/exchanges`, tags: ['Exchanges'], summary: "List a client's exchanges", description: 'The timeline, newest occurredAt first.', request: { params: idParam, query: TimelineQuery }, responses: { 200: json('A page of exchanges', ExchangePageSchema), 400: problem('Invalid query parameter or cursor'), 404: problem('No such client') } });
  register(registry, { method: 'post', path: `${clients}/{id}/exchanges`, tags: ['Exchanges'], summary: 'Record an exchange', request: { params: idParam, headers: idempotencyKey, body: { content: { 'application/json': { schema: CreateExchangeBody } } } }, responses: { 201: created(ExchangeSchema, 'Exchange'), 404: problem('No such client'), ...forWrites } });

  const exchanges = '/api/v1/exchanges';
  register(registry, { method: 'get', path: exchanges, tags: ['Exchanges'], summary: 'List exchanges', description: 'All exchanges, newest occurredAt first; filter by client, kind, direction, period, due follow-ups or updatedSince.', request: { query: ListExchangesQuery }, responses: { 200: json('A page of exchanges', ExchangePageSchema), 400: problem('Invalid query parameter or cursor') } });
  register(registry, { method: 'get', path: `${exchanges}/{id}`, tags: ['Exchanges'], summary: 'Get an exchange', request: { params: idParam }, responses: { 200: json('The exchange', ExchangeSchema, { ETag: etag }), 404: problem('No such exchange') } });
  register(registry, { method: 'patch', path: `${exchanges}/{id}`, tags: ['Exchanges'], summary: 'Update an exchange', request: { params: idParam, headers: ifMatch, body: { content: { 'application/json': { schema: PatchExchangeBody } } } }, responses: { 200: json('The updated exchange', ExchangeSchema, { ETag: etag }), 404: problem('No such exchange'), 412: problem('If-Match does not match'), ...forWrites } });
  register(registry, { method: 'delete', path: `${exchanges}/{id}`, tags: ['Exchanges'], summary: 'Delete an exchange', request: { params: idParam, headers: ifMatch }, responses: { 204: { description: 'Deleted' }, 404: problem('No such exchange'), 412: problem('If-Match does not match'), 503: problem('Read-only mode') } });

  registry.registerPath({
    method: 'get', path: '/health', tags: ['Operations'], summary: 'Health check',
    description: 'No authentication. Where the data lives, whether it is persistent, migration state.',
    responses: {
      200: json('The database answers', z.object({
        status: z.literal('ok'),
        storage: z.object({ driver: z.enum(['sqlite', 'postgres']), persistent: z.boolean(), location: z.string(), reason: z.string() }),
        migrations: z.object({ applied: z.number().int(), pending: z.number().int(), current: z.string().nullable() }),
        warnings: z.array(z.string()),
      })),
      503: problem('The database does not answer'),
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: '1.0.0',
      description: 'Clients and the exchanges (calls, emails, meetings, messages, notes) a team has with them. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
  });
}
