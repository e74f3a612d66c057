import type Router from '@koa/router';
import type { ClientMergeService } from '../services/client-merge.service';
import type { IdempotencyService } from '../services/idempotency.service';
import { requestActor } from './middleware/auth';
import { expectedVersion, idempotencyRequest, pathId } from './preconditions';
import { respondCreated } from './respond';
import { MergeClientsBody } from './schemas/client-merge.schemas';
import { parseBody } from './validate';

export interface ClientMergeRoutes {
  merges: ClientMergeService;
  idempotency: IdempotencyService;
}

/** POST /:id/merge on the clients router: a retried merge with the same Idempotency-Key replays the first answer. */
export function routeClientMerge(router: Router, { merges, idempotency }: ClientMergeRoutes): void {
  router.post('/:id/merge', async (ctx) => {
    const survivorId = pathId(ctx, 'Client');
    const { sources } = parseBody(MergeClientsBody, ctx.request.body);
    const request = { survivorId, sourceIds: sources, expectedVersion: expectedVersion(ctx), actor: requestActor(ctx.state) };
    const result = await idempotency.execute(idempotencyRequest(ctx), async (uow) => ({
      status: 200,
      body: await merges.joining(uow).merge(request),
      location: null,
    }));
    respondCreated(ctx, result);
  });
}
