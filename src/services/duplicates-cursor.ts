import { DUPLICATE_REASONS, type DuplicatePosition, type DuplicateReason } from '../repositories/duplicates.repository';
import { invalidCursor, readToken, signToken } from './signed-token';

/**
 * The duplicates list's cursor: a (reason, key) position where the other lists keep a (sort
 * value, id) one, made the same way (see cursor.ts): base64url JSON plus a SHA-256 integrity
 * check, so an edited or truncated cursor is a 400, never a wrong page.
 */
const MAC_KEY = 'crm-duplicates-cursor-v1';
const VERSION = 1;

export function encodeDuplicatesCursor(position: DuplicatePosition): string {
  return signToken(MAC_KEY, [VERSION, position.reason, position.key]);
}

export function decodeDuplicatesCursor(token: string): DuplicatePosition {
  const fields = readToken(MAC_KEY, token);
  if (fields.length !== 3 || fields[0] !== VERSION) throw invalidCursor('unsupported cursor');
  const [, reason, key] = fields as [number, unknown, unknown];
  if (!DUPLICATE_REASONS.includes(reason as DuplicateReason) || typeof key !== 'string') throw invalidCursor('malformed cursor');
  return { reason: reason as DuplicateReason, key };
}
