import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

export const REQUEST_ID_HEADER = 'X-Request-Id';
// A caller's id is echoed into logs and headers, so only a safe, bounded shape is taken.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * New ids are a random prefix drawn once per process and a counter: unique across restarts and
 * instances (48 random bits), as a UUID per request would be, without drawing and formatting
 * 16 random bytes on every request (measured at several percent of a get-by-id under load).
 * Request ids correlate log lines; they are not secrets and need not be unguessable.
 */
const PROCESS_PREFIX = randomBytes(6).toString('hex');
let issued = 0;

export function newRequestId(): string {
  issued += 1;
  return `${PROCESS_PREFIX}-${issued.toString(36)}`;
}

/** The caller's X-Request-Id if it is safe to echo, else a new one; sent back and kept in ctx.state. */
export function assignRequestId(ctx: Context): string {
  const given = ctx.req.headers['x-request-id'];
  const id = typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : newRequestId();
  ctx.state.requestId = id;
  ctx.res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
