import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { accessLogger } from '../../logging/create-logger';

/**
 * One line per request, written after the response is decided. Headers are never logged, so
 * the Authorization header cannot leak; the query string is left out because search terms
 * may be personal data.
 */
export function requestLogger(appLogger: Logger): Middleware {
  const logger = accessLogger(appLogger);
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const status = ctx.status;
      const level = status >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level)) {
        logger[level](
          { reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status, durationMs: Math.round(durationMs * 100) / 100 },
          'request',
        );
      }
    }
  };
}
