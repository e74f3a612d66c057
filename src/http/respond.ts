import type { Context } from 'koa';
import type { ExecutedResponse } from '../services/idempotency.service';
import { setEtag } from './preconditions';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON body with its Content-Type set first: koa would otherwise derive the same header from
 * 'json' through a MIME-table lookup on every response (about 2% of a get-by-id).
 */
export function respondJson(ctx: Context, body: unknown): void {
  ctx.set('Content-Type', JSON_CONTENT_TYPE);
  ctx.body = body;
}

/** Writes a (possibly replayed) POST result: status, body, Location and ETag, as first sent. */
export function respondCreated(ctx: Context, result: ExecutedResponse): void {
  ctx.status = result.status;
  respondJson(ctx, result.body);
  if (result.location) ctx.set('Location', result.location);
  const version = (result.body as { version?: unknown } | null)?.version;
  if (typeof version === 'number') setEtag(ctx, version);
  if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
}

export function respondResource(ctx: Context, resource: { version: number }): void {
  setEtag(ctx, resource.version);
  respondJson(ctx, resource);
}
