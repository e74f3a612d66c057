import type Router from '@koa/router';
import type { DuplicatesService } from '../services/duplicates.service';
import { respondJson } from './respond';
import { ListDuplicatesQuery } from './schemas/duplicates.schemas';
import { parseQuery } from './validate';

/** GET /duplicates on the clients router; mounted before /:id, which would take "duplicates" for an id. */
export function routeClientDuplicates(router: Router, { duplicates }: { duplicates: DuplicatesService }): void {
  router.get('/duplicates', async (ctx) => {
    const query = parseQuery(ListDuplicatesQuery, ctx);
    respondJson(ctx, await duplicates.list({ ...query, limit: query.limit ?? 20 }));
  });
}
