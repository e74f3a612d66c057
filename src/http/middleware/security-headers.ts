import type { Middleware } from 'koa';

/** Headers every response carries; an API has no reason to be sniffed, framed or cached. */
export function securityHeaders(): Middleware {
  return (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    return next();
  };
}
