import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { HttpProblem } from '../problem';

/**
 * Runs after every router: a path no router knows is a 404, a known path with another method
 * is a 405 that lists what is allowed.
 */
export function routeFallback(routers: Router[]): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    const allowed = new Set<string>();
    for (const router of routers) {
      const match = router.match(ctx.path, ctx.method);
      for (const layer of match.path) for (const method of layer.methods) allowed.add(method);
    }
    if (allowed.size > 0 && !allowed.has(ctx.method)) {
      if (allowed.has('GET')) allowed.add('HEAD');
      const allow = [...allowed].sort().join(', ');
      throw new HttpProblem(405, 'method_not_allowed', `${ctx.method} is not allowed on this resource; see Allow`, {
        headers: { Allow: allow },
      });
    }
    // The path is not echoed: it is the caller's text, and could look like anything.
    throw new HttpProblem(404, 'not_found', 'No route matches this path');
  };
}
