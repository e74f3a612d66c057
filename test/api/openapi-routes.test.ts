import type Router from '@koa/router';
import { createRouters } from '../../src/app';
import { buildOpenApiDocument } from '../../src/http/openapi';
import { createLogger } from '../../src/logging/create-logger';
import { testConfig, useMigratedScratchDatabase } from '../support/test-databases';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Paths = Record<string, Partial<Record<(typeof METHODS)[number], { operationId?: string; security?: unknown[] }>>>;

/** `METHOD /path` for every operation of the document, with its operation object. */
function documentedOperations(paths: Paths) {
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ route: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );
}

/**
 * `METHOD /path` for every route the app's routers declare, in OpenAPI's path syntax. HEAD is
 * left out: @koa/router answers it for every GET route, and OpenAPI documents it with the GET.
 */
function routedOperations(routers: Router[]): string[] {
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) => {
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      return layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${path}`);
    }),
  );
}

describe('the OpenAPI document and the routers', () => {
  const db = useMigratedScratchDatabase('sqlite', 'all');
  const document = buildOpenApiDocument();
  const operations = documentedOperations(document.paths as Paths);

  const routes = () => {
    const logger = createLogger({ env: 'test', log: { level: 'silent', format: 'json', lang: 'en' } });
    return routedOperations(createRouters({ config: testConfig(), logger, database: db.database }));
  };

  it('document exactly the routes the app serves, no more and no fewer', () => {
    const routed = routes();
    // Every route, API or public (/health, /openapi.json, /docs and its script), is documented.
    expect(routed.length).toBeGreaterThanOrEqual(15);
    expect(new Set(routed).size).toBe(routed.length);
    expect(operations.map(({ route }) => route).sort()).toEqual([...routed].sort());
  });

  it('give every operation a unique camelCase operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId ?? '');
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep the operationIds that generated clients are named after', () => {
    // Renaming one breaks every client generated from an earlier document.
    const ids = Object.fromEntries(operations.map(({ route, operation }) => [route, operation.operationId]));
    expect(ids).toEqual({
      'GET /api/v1/clients': 'listClients',
      'POST /api/v1/clients': 'createClient',
      'GET /api/v1/clients/{id}': 'getClient',
      'PATCH /api/v1/clients/{id}': 'updateClient',
      'DELETE /api/v1/clients/{id}': 'deleteClient',
      'GET /api/v1/clients/{id}/exchanges': 'listClientExchanges',
      'POST /api/v1/clients/{id}/exchanges': 'createClientExchange',
      'GET /api/v1/exchanges': 'listExchanges',
      'GET /api/v1/exchanges/{id}': 'getExchange',
      'PATCH /api/v1/exchanges/{id}': 'updateExchange',
      'DELETE /api/v1/exchanges/{id}': 'deleteExchange',
      'POST /api/v1/clients/{id}/restore': 'restoreClient',
      'POST /api/v1/clients/{id}/merge': 'mergeClients',
      'GET /api/v1/clients/duplicates': 'listClientDuplicates',
      'POST /api/v1/exchanges/{id}/restore': 'restoreExchange',
      'GET /api/v1/clients/{id}/history': 'listClientHistory',
      'GET /api/v1/exchanges/{id}/history': 'listExchangeHistory',
      'GET /api/v1/trash': 'listTrash',
      'POST /api/v1/imports': 'createImport',
      'GET /api/v1/imports/{id}': 'getImport',
      'POST /api/v1/imports/{id}/commit': 'commitImport',
      'DELETE /api/v1/imports/{id}': 'deleteImport',
      'POST /api/v1/webhooks': 'createWebhook',
      'GET /api/v1/webhooks': 'listWebhooks',
      'GET /api/v1/webhooks/{id}': 'getWebhook',
      'PATCH /api/v1/webhooks/{id}': 'updateWebhook',
      'DELETE /api/v1/webhooks/{id}': 'deleteWebhook',
      'POST /api/v1/webhooks/{id}/rotate-secret': 'rotateWebhookSecret',
      'POST /api/v1/webhooks/{id}/test': 'testWebhook',
      'GET /api/v1/webhooks/{id}/deliveries': 'listWebhookDeliveries',
      'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry': 'retryWebhookDelivery',
      'GET /health': 'getHealth',
      'GET /openapi.json': 'getOpenApiDocument',
      'GET /docs': 'getApiReference',
      'GET /docs/assets/redoc.standalone.js': 'getApiReferenceScript',
    });
  });

  it('declare the bearer key on every /api/v1 operation and no security on the public ones', () => {
    for (const { route, operation } of operations) {
      const expected = route.includes(' /api/v1/') ? [{ bearerAuth: [] }] : [];
      expect({ route, security: operation.security }).toEqual({ route, security: expected });
    }
  });
});
