import type { Context } from 'koa';
import type { ExecutedResponse } from '../services/idempotency.service';
import { setEtag } from './preconditions';

/** Writes a (possibly replayed) POST result: status, body, Location and ETag, as first sent. */
export function respondCreated(ctx: Context, result: ExecutedResponse): void {
  ctx.status = result.status;
  ctx.body = result.body;
  if (result.location) ctx.set('Location', result.location);
  const version = (result.body as { version?: unknown } | null)?.version;
  if (typeof version === 'number') setEtag(ctx, version);
  if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
}

export function respondResource(ctx: Context, resource: { version: number }): void {
  setEtag(ctx, resource.version);
  ctx.body = resource;
}
