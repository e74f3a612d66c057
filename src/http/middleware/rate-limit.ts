import type { Middleware } from 'koa';
import { HttpProblem } from '../problem';

const WINDOW_MS = 60_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * RATE_LIMIT_PER_MINUTE per API key (0 = off), as a token bucket: a caller may burst up to the
 * limit, then gets one request back every 60/limit seconds. Mounted after bearerAuth, so it
 * counts per authenticated key (ctx.state.callerScope, a digest of the key): the number of
 * buckets is bounded by the number of configured keys, and anonymous junk never fills memory.
 *
 * The buckets live in this process. With several PostgreSQL instances behind a load balancer
 * each instance counts on its own, so the effective limit is per instance (docs/reliability.md).
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): Middleware {
  if (perMinute <= 0) return (_ctx, next) => next();
  const refillPerMs = perMinute / WINDOW_MS;
  const buckets = new Map<string, Bucket>();
  return (ctx, next) => {
    const scope = String(ctx.state.callerScope ?? 'anonymous');
    const at = now();
    const bucket = buckets.get(scope) ?? { tokens: perMinute, updatedAt: at };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (at - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = at;
    buckets.set(scope, bucket);
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      throw new HttpProblem(
        429,
        'rate_limited',
        `More than ${perMinute} requests per minute with this API key; retry in ${retryAfterSeconds} s`,
        {
          headers: { 'Retry-After': String(retryAfterSeconds) },
        },
      );
    }
    bucket.tokens -= 1;
    return next();
  };
}
