import Router from '@koa/router';
import type { TrashService } from '../services/trash.service';
import { API_PREFIX } from './clients.router';
import { respondJson } from './respond';
import { TrashQuery } from './schemas/trash.schemas';
import { parseQuery } from './validate';

export function createTrashRouter({ trash }: { trash: TrashService }): Router {
  const router = new Router({ prefix: `${API_PREFIX}/trash` });

  router.get('/', async (ctx) => {
    const query = parseQuery(TrashQuery, ctx);
    respondJson(ctx, await trash.list({ ...query, limit: query.limit ?? 20 }));
  });

  return router;
}
