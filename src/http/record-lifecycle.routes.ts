import type Router from '@koa/router';
import type { Actor, HistoryEntry, RecordType } from '../domain/history';
import type { HistoryService } from '../services/history.service';
import { requestActor } from './middleware/auth';
import { expectedVersion, pathId } from './preconditions';
import { respondJson, respondResource } from './respond';
import { HistoryQuery } from './schemas/history.schemas';
import { DeleteQuery } from './schemas/trash.schemas';
import { parseNoBody, parseQuery } from './validate';

/** What clients and exchanges share once created: they go to the trash, come back, and keep a history. */
export interface RecordLifecycle<T extends { version: number }> {
  delete(id: string, expectedVersion: number | undefined, actor: Actor, permanent: boolean): Promise<void>;
  restore(id: string, actor: Actor): Promise<T>;
}

export interface RecordLifecycleRoutes<T extends { version: number }> {
  /** The name a 404 gives. */
  resource: string;
  recordType: RecordType;
  records: RecordLifecycle<T>;
  history: HistoryService;
}

/** DELETE /:id (to the trash, or for good), POST /:id/restore and GET /:id/history on a record's router. */
export function routeRecordLifecycle<T extends { version: number }>(
  router: Router,
  { resource, recordType, records, history }: RecordLifecycleRoutes<T>,
): void {
  router.delete('/:id', async (ctx) => {
    const id = pathId(ctx, resource);
    const { permanent } = parseQuery(DeleteQuery, ctx);
    await records.delete(id, expectedVersion(ctx), requestActor(ctx.state), permanent === 'true');
    ctx.status = 204;
  });

  // A retried restore is harmless (a live record answers as it is): no If-Match, no Idempotency-Key.
  router.post('/:id/restore', async (ctx) => {
    const id = pathId(ctx, resource);
    parseNoBody(ctx.request.body);
    respondResource(ctx, await records.restore(id, requestActor(ctx.state)));
  });

  router.get('/:id/history', async (ctx) => {
    const id = pathId(ctx, resource);
    const query = parseQuery(HistoryQuery, ctx);
    const page = await history.list(recordType, id, { ...query, limit: query.limit ?? 20 });
    respondJson(ctx, { data: page.data.map(publicEntry), nextCursor: page.nextCursor });
  });
}

/** The record is the one in the path: its type and id are not repeated in every entry. */
function publicEntry({ version, action, at, actor, changes }: HistoryEntry) {
  return { version, action, at, actor, changes };
}
