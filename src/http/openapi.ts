import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { API_PREFIX } from './clients.router';
import { IMPORTS_TAG, registerImportRoutes } from './openapi-import-routes';
import { registerPublicRoutes } from './openapi-public-routes';
import { registerRecordLifecycles } from './openapi-lifecycle-routes';
import { registerWebhookRoutes, WEBHOOKS_TAG } from './openapi-webhook-routes';
import { registerClientMerge } from './openapi-merge-routes';
import { clientListResponse, registerClientDuplicates } from './openapi-spreadsheet-routes';
import { ListClientsDocumentedQuery } from './clients-csv';
import { api, created, etag, idempotencyKey, idParam, ifMatch, json, jsonBody, problem, writeResponses } from './openapi-responses';
import { ClientPageSchema, ClientSchema, CreateClientBody, PatchClientBody } from './schemas/client.schemas';
import {
  CreateExchangeBody,
  ExchangePageSchema,
  ExchangeSchema,
  ListExchangesQuery,
  PatchExchangeBody,
  TimelineQuery,
} from './schemas/exchange.schemas';
import { DeleteQuery } from './schemas/trash.schemas';

const TAGS = [
  { name: 'Clients', description: 'The people and companies the team works with.' },
  { name: 'Exchanges', description: 'Calls, emails, meetings, messages and notes, each with one client.' },
  { name: 'Trash', description: 'Deleted clients and exchanges, kept TRASH_RETENTION_DAYS before the purge.' },
  WEBHOOKS_TAG,
  IMPORTS_TAG,
  { name: 'Operations', description: 'No authentication: whether the service and its database answer, and this reference.' },
];

function registerClients(registry: OpenAPIRegistry): void {
  const clients = `${API_PREFIX}/clients`;
  const one = `${clients}/{id}`;
  const tags = ['Clients'];
  api(registry, {
    method: 'get',
    path: clients,
    operationId: 'listClients',
    tags,
    summary: 'List clients',
    description: 'Keyset-paginated; search with q, filter by status, tag or updatedSince.',
    request: { query: ListClientsDocumentedQuery },
    responses: { 200: clientListResponse(ClientPageSchema), 400: problem('Invalid query parameter or cursor, or a bad delimiter') },
  });
  api(registry, {
    method: 'post',
    path: clients,
    operationId: 'createClient',
    tags,
    summary: 'Create a client',
    request: { headers: idempotencyKey, body: jsonBody(CreateClientBody) },
    responses: { 201: created(ClientSchema, 'Client'), ...writeResponses },
  });
  api(registry, {
    method: 'get',
    path: one,
    operationId: 'getClient',
    tags,
    summary: 'Get a client',
    request: { params: idParam },
    responses: { 200: json('The client', ClientSchema, { ETag: etag }), 404: problem('No such client') },
  });
  api(registry, {
    method: 'patch',
    path: one,
    operationId: 'updateClient',
    tags,
    summary: 'Update a client',
    description: 'JSON merge semantics: absent fields are kept, null clears a nullable field.',
    request: { params: idParam, headers: ifMatch, body: jsonBody(PatchClientBody) },
    responses: {
      200: json('The updated client', ClientSchema, { ETag: etag }),
      404: problem('No such client'),
      412: problem('If-Match does not match'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'delete',
    path: one,
    operationId: 'deleteClient',
    tags,
    summary: 'Delete a client',
    description:
      'Moves the client and its exchanges to the trash (restore brings them back), or deletes them for good with permanent=true, trashed or not.',
    request: { params: idParam, headers: ifMatch, query: DeleteQuery },
    responses: {
      204: { description: 'In the trash, or deleted for good' },
      400: problem('permanent is not true, or an unknown parameter'),
      404: problem('No such client (or already in the trash, without permanent=true)'),
      412: problem('If-Match does not match'),
      503: problem('Read-only mode'),
    },
  });
  api(registry, {
    method: 'get',
    path: `${one}/exchanges`,
    operationId: 'listClientExchanges',
    tags: ['Exchanges'],
    summary: "List a client's exchanges",
    description: 'The timeline, newest occurredAt first.',
    request: { params: idParam, query: TimelineQuery },
    responses: {
      200: json('A page of exchanges', ExchangePageSchema),
      400: problem('Invalid query parameter or cursor'),
      404: problem('No such client'),
    },
  });
  api(registry, {
    method: 'post',
    path: `${one}/exchanges`,
    operationId: 'createClientExchange',
    tags: ['Exchanges'],
    summary: 'Record an exchange',
    request: { params: idParam, headers: idempotencyKey, body: jsonBody(CreateExchangeBody) },
    responses: { 201: created(ExchangeSchema, 'Exchange'), 404: problem('No such client'), ...writeResponses },
  });
}

function registerExchanges(registry: OpenAPIRegistry): void {
  const exchanges = `${API_PREFIX}/exchanges`;
  const one = `${exchanges}/{id}`;
  const tags = ['Exchanges'];
  api(registry, {
    method: 'get',
    path: exchanges,
    operationId: 'listExchanges',
    tags,
    summary: 'List exchanges',
    description: 'All exchanges, newest occurredAt first; filter by client, kind, direction, period, due follow-ups or updatedSince.',
    request: { query: ListExchangesQuery },
    responses: { 200: json('A page of exchanges', ExchangePageSchema), 400: problem('Invalid query parameter or cursor') },
  });
  api(registry, {
    method: 'get',
    path: one,
    operationId: 'getExchange',
    tags,
    summary: 'Get an exchange',
    request: { params: idParam },
    responses: { 200: json('The exchange', ExchangeSchema, { ETag: etag }), 404: problem('No such exchange') },
  });
  api(registry, {
    method: 'patch',
    path: one,
    operationId: 'updateExchange',
    tags,
    summary: 'Update an exchange',
    request: { params: idParam, headers: ifMatch, body: jsonBody(PatchExchangeBody) },
    responses: {
      200: json('The updated exchange', ExchangeSchema, { ETag: etag }),
      404: problem('No such exchange'),
      412: problem('If-Match does not match'),
      ...writeResponses,
    },
  });
  api(registry, {
    method: 'delete',
    path: one,
    operationId: 'deleteExchange',
    tags,
    summary: 'Delete an exchange',
    description: 'Moves the exchange to the trash, or deletes it for good with permanent=true, trashed or not.',
    request: { params: idParam, headers: ifMatch, query: DeleteQuery },
    responses: {
      204: { description: 'In the trash, or deleted for good' },
      400: problem('permanent is not true, or an unknown parameter'),
      404: problem('No such exchange (or already in the trash, without permanent=true)'),
      412: problem('If-Match does not match'),
      503: problem('Read-only mode'),
    },
  });
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A key of API_KEYS (without its label, for label:key entries)',
  });
  registerClients(registry);
  registerExchanges(registry);
  registerRecordLifecycles(registry);
  registerImportRoutes(registry);
  registerWebhookRoutes(registry);
  registerClientMerge(registry);
  registerClientDuplicates(registry);
  registerPublicRoutes(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'CRM API',
      version: '1.0.0',
      description:
        'Clients and the exchanges (calls, emails, meetings, messages, notes) a team has with them. Errors are RFC 9457 problem details.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/' }],
    tags: TAGS,
  });
}
