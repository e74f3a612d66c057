import type { Middleware } from 'koa';
import { HttpProblem } from '../problem';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const READ_ONLY_RETRY_AFTER_SECONDS = 300;

/** READ_ONLY=true freezes writes (e.g. while the data moves to PostgreSQL); reads go on. */
export function readOnlyGuard(enabled: boolean): Middleware {
  if (!enabled) return (_ctx, next) => next();
  return (ctx, next) => {
    if (!SAFE_METHODS.has(ctx.method)) {
      throw new HttpProblem(503, 'service_unavailable', 'The API is read-only for maintenance; retry later', {
        headers: { 'Retry-After': String(READ_ONLY_RETRY_AFTER_SECONDS) },
      });
    }
    return next();
  };
}
