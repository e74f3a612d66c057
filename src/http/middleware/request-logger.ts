import type { Middleware } from 'koa';
import type { AccessLog } from '../../logging/access-log';

/**
 * One line per request, written after the response is decided. Headers are never logged, so
 * the Authorization header cannot leak; the query string is left out because search terms
 * may be personal data.
 */
export function requestLogger(accessLog: AccessLog): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      accessLog({
        reqId: ctx.state.requestId,
        method: ctx.req.method ?? 'GET',
        path: ctx.path,
        status: ctx.res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    }
  };
}
