import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../../domain/sha256';
import type { Middleware } from 'koa';
import { HttpProblem } from '../problem';

/** The idempotency scope used when authentication is disabled. */
export const ANONYMOUS_SCOPE = 'anonymous';

/** Keys longer than this are refused unread; configured keys are 32 characters or more. */
const MIN_SLOT_BYTES = 256;

interface KnownKey {
  /** The key's bytes, zero-padded to the slot size. */
  readonly padded: Buffer;
  readonly byteLength: number;
  /** SHA-256 of the key in hex: the caller's idempotency and rate-limit scope. */
  readonly scope: string;
}

/**
 * Bearer API keys. The presented key is copied into a zero-padded slot of fixed size and
 * compared with timingSafeEqual against every configured key (no early exit), so neither the
 * key's length nor its prefix leaks through response timing. The caller's scope is the
 * SHA-256 of the key, computed once per configured key at start-up (a hash per request cost
 * more than the rest of the check), so the key itself is never stored anywhere.
 */
export function bearerAuth(apiKeys: readonly string[]): Middleware {
  if (apiKeys.length === 0) {
    return (ctx, next) => {
      ctx.state.callerScope = ANONYMOUS_SCOPE;
      return next();
    };
  }
  const slotBytes = Math.max(MIN_SLOT_BYTES, ...apiKeys.map((key) => Buffer.byteLength(key)));
  const known: KnownKey[] = apiKeys.map((key) => {
    const padded = Buffer.alloc(slotBytes);
    return { padded, byteLength: padded.write(key, 'utf8'), scope: sha256(key, 'hex') };
  });
  // Reused by every request: the check is synchronous, so no two requests share it at once.
  const slot = Buffer.alloc(slotBytes);
  const matchingScope = (given: string): string | null => {
    if (Buffer.byteLength(given) > slotBytes) return null;
    slot.fill(0);
    const givenBytes = slot.write(given, 'utf8');
    let scope: string | null = null;
    for (const key of known) {
      const equal = timingSafeEqual(slot, key.padded);
      if (equal && givenBytes === key.byteLength) scope = key.scope;
    }
    return scope;
  };
  return (ctx, next) => {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
    const scope = match?.[1] ? matchingScope(match[1]) : null;
    if (!scope) {
      throw new HttpProblem(401, 'unauthorized', match ? 'The API key is not valid' : 'Send an API key as Authorization: Bearer <key>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="crm"' },
      });
    }
    ctx.state.callerScope = scope;
    return next();
  };
}
