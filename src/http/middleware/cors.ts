import type { Middleware } from 'koa';

const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-Id';
// Without this list a browser script could not read the version, the new record's address or
// how long to back off.
const EXPOSED_HEADERS = 'ETag, Location, Retry-After, X-Request-Id, Idempotent-Replayed';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Strict CORS: an origin is allowed only if it is listed exactly in CORS_ORIGINS (no wildcard,
 * no pattern, no reflection of whatever the caller sends), and a disallowed origin gets no
 * Access-Control-* header at all, so the browser blocks the response. Written here rather than
 * taken from @koa/cors because its defaults are permissive (`*` since 5.0, the caller's own
 * origin before that) and an allow-list means writing an origin function anyway; the whole
 * rule fits in a few lines read in one go, with no dependency to audit.
 *
 * Mounted before authentication: a browser never sends credentials with a preflight, so an
 * OPTIONS preflight must be answered (204) before bearerAuth would refuse it.
 */
export function cors(origins: readonly string[]): Middleware {
  const allowed = new Set(origins.map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean));
  return (ctx, next) => {
    const origin = ctx.req.headers.origin ?? '';
    const permitted = origin !== '' && allowed.has(origin);
    // Caches must not serve one origin's answer to another.
    if (allowed.size > 0) ctx.vary('Origin');
    const isPreflight = origin !== '' && ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (isPreflight) {
      if (permitted) {
        ctx.set('Access-Control-Allow-Origin', origin);
        ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
        ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
      }
      ctx.status = 204;
      return Promise.resolve();
    }
    if (permitted) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    return next();
  };
}
