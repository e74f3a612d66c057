import Router from '@koa/router';
import type { Context } from 'koa';
import { NotFoundError } from '../domain/errors';
import { normaliseId } from '../domain/id';
import type { IdempotencyService } from '../services/idempotency.service';
import type { WebhookService } from '../services/webhook.service';
import { API_PREFIX } from './clients.router';
import { expectedVersion, idempotencyRequest, pathId } from './preconditions';
import { respondCreated, respondJson, respondResource } from './respond';
import { CreateWebhookBody, ListDeliveriesQuery, ListWebhooksQuery, PatchWebhookBody } from './schemas/webhook.schemas';
import { parseBody, parseNoBody, parseQuery } from './validate';

/** The dispatcher running in this process, when there is one. */
export interface SubscriptionsWatcher {
  /** Reads again whether any subscription is active: it skips all work while it knows of none. */
  refreshSubscriptions(): Promise<void>;
}

export interface WebhooksRouterDeps {
  webhooks: WebhookService;
  idempotency: IdempotencyService;
  subscriptions?: SubscriptionsWatcher;
}

const RESOURCE = 'Webhook';

/** An answer carrying a signing secret: no cache, shared or private, may keep it. */
function noStore(ctx: Context): void {
  ctx.set('Cache-Control', 'no-store');
}

function deliveryId(ctx: Context): string {
  const id = normaliseId(String(ctx.params.deliveryId ?? ''));
  if (!id) throw new NotFoundError('Delivery');
  return id;
}

export function createWebhooksRouter({ webhooks, idempotency, subscriptions }: WebhooksRouterDeps): Router {
  const router = new Router({ prefix: `${API_PREFIX}/webhooks` });
  /**
   * Once the change has committed (an idempotent create commits in execute), a dispatcher that
   * knew of no active subscription sees this one now instead of at its next poll. A failed read
   * changes nothing: the poll reads again.
   */
  const activated = (webhook: { active: boolean }) => {
    if (webhook.active) subscriptions?.refreshSubscriptions().catch(() => undefined);
  };

  router.get('/', async (ctx) => {
    const query = parseQuery(ListWebhooksQuery, ctx);
    respondJson(ctx, await webhooks.list({ ...query, limit: query.limit ?? 20 }));
  });

  // A replay (same Idempotency-Key, same caller, within the key's lifetime) answers the first
  // response again, secret included: it is the answer the caller may have lost.
  router.post('/', async (ctx) => {
    const fields = parseBody(CreateWebhookBody, ctx.request.body);
    const result = await idempotency.execute(idempotencyRequest(ctx), async (uow) => {
      const webhook = await webhooks.joining(uow).create(fields);
      return { status: 201, body: webhook, location: `${API_PREFIX}/webhooks/${webhook.id}` };
    });
    if (!result.replayed) activated(result.body as { active: boolean });
    noStore(ctx);
    respondCreated(ctx, result);
  });

  router.get('/:id', async (ctx) => {
    respondResource(ctx, await webhooks.get(pathId(ctx, RESOURCE)));
  });

  router.patch('/:id', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    const patch = parseBody(PatchWebhookBody, ctx.request.body);
    const updated = await webhooks.update(id, patch, expectedVersion(ctx));
    if (patch.active === true) activated(updated);
    respondResource(ctx, updated);
  });

  router.delete('/:id', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    await webhooks.delete(id, expectedVersion(ctx));
    ctx.status = 204;
  });

  router.post('/:id/rotate-secret', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    parseNoBody(ctx.request.body);
    const rotated = await webhooks.rotateSecret(id, expectedVersion(ctx));
    noStore(ctx);
    respondResource(ctx, rotated);
  });

  router.post('/:id/test', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    parseNoBody(ctx.request.body);
    ctx.status = 202;
    respondJson(ctx, await webhooks.test(id));
  });

  router.get('/:id/deliveries', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    const query = parseQuery(ListDeliveriesQuery, ctx);
    respondJson(ctx, await webhooks.listDeliveries(id, { ...query, limit: query.limit ?? 20 }));
  });

  router.post('/:id/deliveries/:deliveryId/retry', async (ctx) => {
    const id = pathId(ctx, RESOURCE);
    const delivery = deliveryId(ctx);
    parseNoBody(ctx.request.body);
    ctx.status = 202;
    respondJson(ctx, await webhooks.retryDelivery(id, delivery));
  });

  return router;
}
