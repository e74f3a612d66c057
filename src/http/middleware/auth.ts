import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { HttpProblem } from '../problem';

/** The idempotency scope used when authentication is disabled. */
export const ANONYMOUS_SCOPE = 'anonymous';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Bearer API keys. Keys are compared as SHA-256 digests with timingSafeEqual against every
 * configured key (no early exit), so neither the key's length nor its prefix leaks through
 * response timing. The digest also names the caller's idempotency scope, so the key itself is
 * never stored.
 */
export function bearerAuth(apiKeys: readonly string[]): Middleware {
  const digests = apiKeys.map(digest);
  if (digests.length === 0) {
    return async (ctx, next) => {
      ctx.state.callerScope = ANONYMOUS_SCOPE;
      await next();
    };
  }
  return async (ctx, next) => {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(ctx.get('Authorization'));
    let matched: Buffer | null = null;
    if (match?.[1]) {
      const given = digest(match[1]);
      for (const known of digests) if (timingSafeEqual(given, known)) matched = known;
    }
    if (!matched) {
      throw new HttpProblem(401, 'unauthorized', match ? 'The API key is not valid' : 'Send an API key as Authorization: Bearer <key>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="crm"' },
      });
    }
    ctx.state.callerScope = matched.toString('hex');
    await next();
  };
}
