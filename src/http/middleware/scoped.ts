import type { Middleware } from 'koa';

/** Runs the middleware chain only for paths under prefix; other paths skip it entirely. */
export function scoped(prefix: string, middleware: Middleware[]): Middleware {
  const chain = middleware.reduceRight<Middleware>(
    (inner, outer) => (ctx, next) => outer(ctx, () => inner(ctx, next)),
    (_ctx, next) => next(),
  );
  const under = `${prefix}/`;
  return (ctx, next) => {
    const path = ctx.path;
    return path === prefix || path.startsWith(under) ? chain(ctx, next) : next();
  };
}
