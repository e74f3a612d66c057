import { sha256 } from '../domain/sha256';

/** One accepted API key and the name its changes are recorded under. */
export interface ApiKey {
  /** The secret a caller presents as `Authorization: Bearer <key>`. */
  readonly key: string;
  /** SHA-256 of the key in hex: the caller's idempotency and rate-limit scope. */
  readonly digest: string;
  /** The history's actor: the entry's label, or `key-` and the first 8 hex digits of the digest. */
  readonly actor: string;
}

const LABEL = /^[a-z0-9_-]{1,32}$/;

/** An API_KEYS entry that cannot be read; the message names entries by position, never by content. */
export class ApiKeysError extends Error {
  override readonly name = 'ApiKeysError';
}

/**
 * API_KEYS entries: `key`, or `label:key` where the label is 1 to 32 of `a-z 0-9 _ -`. Any entry
 * with a colon is read as labelled (the key is what follows the first colon, and may itself hold
 * colons), so a mistyped label fails at start-up instead of turning into part of a key no caller
 * sends. Messages never quote a malformed label: it may be the start of a secret.
 */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  const keys: ApiKey[] = [];
  const positionOfLabel = new Map<string, number>();
  const actorOfKey = new Map<string, { actor: string; position: number }>();
  entries.forEach((entry, index) => {
    const position = index + 1;
    const colon = entry.indexOf(':');
    const label = colon < 0 ? null : entry.slice(0, colon);
    const key = colon < 0 ? entry : entry.slice(colon + 1);
    if (label !== null && !LABEL.test(label)) {
      throw new ApiKeysError(
        `entry ${position} has a malformed label: write label:key with a label of 1 to 32 characters among a-z, 0-9, _ and -`,
      );
    }
    if (label !== null) {
      const first = positionOfLabel.get(label);
      if (first !== undefined) throw new ApiKeysError(`entries ${first} and ${position} both use the label "${label}"`);
      positionOfLabel.set(label, position);
    }
    const digest = sha256(key, 'hex');
    const actor = label ?? `key-${digest.slice(0, 8)}`;
    const known = actorOfKey.get(key);
    // The same key twice is harmless unless it would be recorded under two names.
    if (known && known.actor !== actor) {
      throw new ApiKeysError(`entries ${known.position} and ${position} hold the same key under different labels`);
    }
    if (!known) actorOfKey.set(key, { actor, position });
    keys.push({ key, digest, actor });
  });
  return keys;
}
