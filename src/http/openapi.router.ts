import Router from '@koa/router';
import { buildOpenApiDocument } from './openapi';
import { OPENAPI_PATH } from './openapi-public-routes';

export function createOpenApiRouter(): Router {
  const router = new Router();
  // Built once: the document depends only on the code.
  const document = JSON.stringify(buildOpenApiDocument());
  router.get(OPENAPI_PATH, (ctx) => {
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = document;
  });
  return router;
}
