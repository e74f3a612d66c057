import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { parseApiKeys } from '../../config/api-keys';
import type { Actor } from '../../domain/history';
import { HttpProblem } from '../problem';

/** The idempotency scope used when authentication is disabled. */
export const ANONYMOUS_SCOPE = 'anonymous';

/** Keys longer than this are refused unread; configured keys are 32 characters or more. */
const MIN_SLOT_BYTES = 256;

declare module 'koa' {
  interface DefaultState {
    /** The caller's idempotency and rate-limit scope: a digest of its key, or ANONYMOUS_SCOPE. */
    callerScope?: string;
    /** Who the caller's changes are recorded under (never the key); null when authentication is off. */
    actor?: Actor;
  }
}

interface KnownKey {
  /** The key's bytes, zero-padded to the slot size. */
  readonly padded: Buffer;
  readonly byteLength: number;
  readonly scope: string;
  readonly actor: string;
}

/**
 * Bearer API keys, as API_KEYS lists them (`key` or `label:key`). The presented key is copied
 * into a zero-padded slot of fixed size and compared with timingSafeEqual against every
 * configured key (no early exit), so neither the key's length nor its prefix leaks through
 * response timing. The caller's scope (SHA-256 of the key) and actor (the label, or a
 * fingerprint) are computed once per configured key at start-up (a hash per request cost more
 * than the rest of the check), so the key itself is never stored anywhere.
 */
export function bearerAuth(apiKeys: readonly string[]): Middleware {
  if (apiKeys.length === 0) {
    return (ctx, next) => {
      ctx.state.callerScope = ANONYMOUS_SCOPE;
      ctx.state.actor = null;
      return next();
    };
  }
  const entries = parseApiKeys(apiKeys);
  const slotBytes = Math.max(MIN_SLOT_BYTES, ...entries.map(({ key }) => Buffer.byteLength(key)));
  const known: KnownKey[] = entries.map(({ key, digest, actor }) => {
    const padded = Buffer.alloc(slotBytes);
    return { padded, byteLength: padded.write(key, 'utf8'), scope: digest, actor };
  });
  // Reused by every request: the check is synchronous, so no two requests share it at once.
  const slot = Buffer.alloc(slotBytes);
  const matchingKey = (given: string): KnownKey | null => {
    if (Buffer.byteLength(given) > slotBytes) return null;
    slot.fill(0);
    const givenBytes = slot.write(given, 'utf8');
    let match: KnownKey | null = null;
    for (const key of known) {
      const equal = timingSafeEqual(slot, key.padded);
      if (equal && givenBytes === key.byteLength) match = key;
    }
    return match;
  };
  return (ctx, next) => {
    const header = /^Bearer[ ]+([^\s]+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
    const key = header?.[1] ? matchingKey(header[1]) : null;
    if (!key) {
      throw new HttpProblem(401, 'unauthorized', header ? 'The API key is not valid' : 'Send an API key as Authorization: Bearer <key>', {
        headers: { 'WWW-Authenticate': 'Bearer realm="crm"' },
      });
    }
    ctx.state.callerScope = key.scope;
    ctx.state.actor = key.actor;
    return next();
  };
}

/** The actor bearerAuth put on the request: null when authentication is off (or not mounted). */
export function requestActor(state: { actor?: Actor }): Actor {
  return state.actor ?? null;
}
