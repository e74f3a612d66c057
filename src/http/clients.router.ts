import Router from '@koa/router';
import type { ClientMergeService } from '../services/client-merge.service';
import type { ClientService } from '../services/client.service';
import type { DuplicatesService } from '../services/duplicates.service';
import type { ExchangeService } from '../services/exchange.service';
import type { HistoryService } from '../services/history.service';
import type { IdempotencyService } from '../services/idempotency.service';
import { routeClientDuplicates } from './client-duplicates.routes';
import { routeClientMerge } from './client-merge.routes';
import { respondClientsCsv, wantsCsv, type ClientsCsvDeps } from './clients-csv';
import { requestActor } from './middleware/auth';
import { expectedVersion, idempotencyRequest, pathId } from './preconditions';
import { routeRecordLifecycle } from './record-lifecycle.routes';
import { respondCreated, respondJson, respondResource } from './respond';
import { CreateClientBody, ListClientsQuery, PatchClientBody } from './schemas/client.schemas';
import { CreateExchangeBody, TimelineQuery } from './schemas/exchange.schemas';
import { parseBody, parseQuery } from './validate';

export const API_PREFIX = '/api/v1';

export interface ClientsRouterDeps {
  clients: ClientService;
  exchanges: ExchangeService;
  idempotency: IdempotencyService;
  history: HistoryService;
  merges: ClientMergeService;
  duplicates: DuplicatesService;
  csvExport: ClientsCsvDeps;
}

export function createClientsRouter(deps: ClientsRouterDeps): Router {
  const { clients, exchanges, idempotency, history, merges } = deps;
  const router = new Router({ prefix: `${API_PREFIX}/clients` });

  router.get('/', async (ctx) => {
    // Content negotiation: Accept: text/csv streams the whole list as a spreadsheet.
    if (wantsCsv(ctx)) return respondClientsCsv(ctx, deps.csvExport);
    const query = parseQuery(ListClientsQuery, ctx);
    respondJson(ctx, await clients.list({ ...query, limit: query.limit ?? 20 }));
  });

  router.post('/', async (ctx) => {
    const fields = parseBody(CreateClientBody, ctx.request.body);
    const actor = requestActor(ctx.state);
    const result = await idempotency.execute(idempotencyRequest(ctx), async (uow) => {
      const client = await clients.joining(uow).create(fields, actor);
      return { status: 201, body: client, location: `${API_PREFIX}/clients/${client.id}` };
    });
    respondCreated(ctx, result);
  });

  routeClientDuplicates(router, deps);

  router.get('/:id', async (ctx) => {
    respondResource(ctx, await clients.get(pathId(ctx, 'Client')));
  });

  router.patch('/:id', async (ctx) => {
    const id = pathId(ctx, 'Client');
    const patch = parseBody(PatchClientBody, ctx.request.body);
    respondResource(ctx, await clients.update(id, patch, expectedVersion(ctx), requestActor(ctx.state)));
  });

  routeRecordLifecycle(router, { resource: 'Client', recordType: 'client', records: clients, history });
  routeClientMerge(router, { merges, idempotency });

  router.get('/:id/exchanges', async (ctx) => {
    const id = pathId(ctx, 'Client');
    const query = parseQuery(TimelineQuery, ctx);
    respondJson(ctx, await exchanges.timeline(id, { ...query, limit: query.limit ?? 20 }));
  });

  router.post('/:id/exchanges', async (ctx) => {
    const clientId = pathId(ctx, 'Client');
    const fields = parseBody(CreateExchangeBody, ctx.request.body);
    const actor = requestActor(ctx.state);
    const result = await idempotency.execute(idempotencyRequest(ctx), async (uow) => {
      const exchange = await exchanges.joining(uow).create(clientId, fields, actor);
      return { status: 201, body: exchange, location: `${API_PREFIX}/exchanges/${exchange.id}` };
    });
    respondCreated(ctx, result);
  });

  return router;
}
