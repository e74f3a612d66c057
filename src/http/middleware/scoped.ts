import type { Middleware } from 'koa';

/** Runs the middleware chain only for paths under prefix; other paths skip it entirely. */
export function scoped(prefix: string, middleware: Middleware[]): Middleware {
  const chain = middleware.reduceRight<Middleware>(
    (inner, outer) => (ctx, next) => outer(ctx, () => inner(ctx, next)),
    (_ctx, next) => next(),
  );
  return (ctx, next) => (ctx.path === prefix || ctx.path.startsWith(`${prefix}/`) ? chain(ctx, next) : next());
}
