import type { Middleware } from 'koa';

/**
 * Headers every response carries; an API has no reason to be sniffed, framed or cached. Set
 * with Node's setHeader directly: constant strings need none of ctx.set's coercion, and this
 * runs on every request.
 */
export function securityHeaders(): Middleware {
  return (ctx, next) => {
    const res = ctx.res;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    return next();
  };
}
