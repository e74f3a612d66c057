import { RouterEvents, type default as Router } from '@koa/router';
import { HttpProblem } from '../problem';

/**
 * Makes the router answer what no route takes: a path no route knows is a 404, a known path
 * with another method is a 405 that lists what is allowed. @koa/router fires NotFound when no
 * route matched both path and method, with the layers that matched the path alone in
 * ctx.matched, so nothing is matched twice and no middleware waits on every request to check.
 */
export function answerUnmatchedRoutes(router: Router): Router {
  return router.on(RouterEvents.NotFound, (ctx) => {
    const allowed = new Set<string>();
    for (const layer of ctx.matched ?? []) for (const method of layer.methods) allowed.add(method);
    if (allowed.size > 0 && !allowed.has(ctx.method)) {
      if (allowed.has('GET')) allowed.add('HEAD');
      const allow = [...allowed].sort().join(', ');
      throw new HttpProblem(405, 'method_not_allowed', `${ctx.method} is not allowed on this resource; see Allow`, {
        headers: { Allow: allow },
      });
    }
    // The path is not echoed: it is the caller's text, and could look like anything.
    throw new HttpProblem(404, 'not_found', 'No route matches this path');
  });
}
