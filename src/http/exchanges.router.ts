import Router from '@koa/router';
import type { ExchangeService } from '../services/exchange.service';
import type { HistoryService } from '../services/history.service';
import { API_PREFIX } from './clients.router';
import { requestActor } from './middleware/auth';
import { expectedVersion, pathId } from './preconditions';
import { routeRecordLifecycle } from './record-lifecycle.routes';
import { respondJson, respondResource } from './respond';
import { ListExchangesQuery, PatchExchangeBody } from './schemas/exchange.schemas';
import { parseBody, parseQuery } from './validate';

export interface ExchangesRouterDeps {
  exchanges: ExchangeService;
  history: HistoryService;
}

export function createExchangesRouter({ exchanges, history }: ExchangesRouterDeps): Router {
  const router = new Router({ prefix: `${API_PREFIX}/exchanges` });

  router.get('/', async (ctx) => {
    const { followUpDue, ...query } = parseQuery(ListExchangesQuery, ctx);
    respondJson(ctx, await exchanges.list({ ...query, limit: query.limit ?? 20, followUpDue: followUpDue === 'true' }));
  });

  router.get('/:id', async (ctx) => {
    respondResource(ctx, await exchanges.get(pathId(ctx, 'Exchange')));
  });

  router.patch('/:id', async (ctx) => {
    const id = pathId(ctx, 'Exchange');
    const patch = parseBody(PatchExchangeBody, ctx.request.body);
    respondResource(ctx, await exchanges.update(id, patch, expectedVersion(ctx), requestActor(ctx.state)));
  });

  routeRecordLifecycle(router, { resource: 'Exchange', recordType: 'exchange', records: exchanges, history });

  return router;
}
