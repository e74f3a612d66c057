import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from './config/config';
import type { Database } from './db/open-database';
import { createHealthRouter } from './http/health.router';
import { errorHandler } from './http/middleware/error-handler';
import { requestId } from './http/middleware/request-id';
import { requestLogger } from './http/middleware/request-logger';
import { routeFallback } from './http/middleware/route-fallback';
import { securityHeaders } from './http/middleware/security-headers';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: Database;
  /** Standing storage warnings shown by /health (e.g. no persistent disk on Render). */
  storageWarnings?: readonly string[];
}

/** Builds the Koa application without listening, so tests drive app.callback() directly. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: true });
  // Errors are answered by errorHandler; koa's default printer would log them a second time.
  app.silent = true;

  const routers: Router[] = [createHealthRouter({ database: deps.database, warnings: deps.storageWarnings ?? [] })];

  // The request id and the access log wrap the error handler so the log line carries the final
  // status of an error response; neither of them can fail a request.
  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(securityHeaders());
  app.use(routeFallback(routers));
  for (const router of routers) app.use(router.routes());
  return app;
}
