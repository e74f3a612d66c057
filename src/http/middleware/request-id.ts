import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';

export const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's id is echoed into logs and headers, so only a safe, bounded shape is taken.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id if it is safe to echo, else a new one; sent back and kept in ctx.state. */
export function assignRequestId(ctx: Context): string {
  const given = ctx.req.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  ctx.state.requestId = id;
  ctx.res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
