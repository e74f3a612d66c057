import type { Context } from 'koa';
import type { ExecutedResponse } from '../services/idempotency.service';
import { setEtag } from './preconditions';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A JSON body, serialised here with its Content-Type set first. Given an object, koa would look
 * the type up in its MIME table, test it against /json/, drop and later recompute
 * Content-Length; given a string whose type is already set, it only measures it.
 */
export function respondJson(ctx: Context, body: unknown): void {
  ctx.res.setHeader('Content-Type', JSON_CONTENT_TYPE);
  ctx.body = JSON.stringify(body);
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
