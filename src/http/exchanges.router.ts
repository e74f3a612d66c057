import Router from '@koa/router';
import type { ExchangeService } from '../services/exchange.service';
import { API_PREFIX } from './clients.router';
import { expectedVersion, pathId } from './preconditions';
import { respondJson, respondResource } from './respond';
import { ListExchangesQuery, PatchExchangeBody } from './schemas/exchange.schemas';
import { parseBody, parseQuery } from './validate';

export function createExchangesRouter({ exchanges }: { exchanges: ExchangeService }): Router {
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
    respondResource(ctx, await exchanges.update(id, patch, expectedVersion(ctx)));
  });

  router.delete('/:id', async (ctx) => {
    await exchanges.delete(pathId(ctx, 'Exchange'), expectedVersion(ctx));
    ctx.status = 204;
  });

  return router;
}
