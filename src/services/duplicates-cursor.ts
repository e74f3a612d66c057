import { timingSafeEqual } from 'node:crypto';
import { InvalidParameterError } from '../domain/errors';
import { sha256 } from '../domain/sha256';
import { DUPLICATE_REASONS, type DuplicatePosition, type DuplicateReason } from '../repositories/duplicates.repository';

/**
 * The duplicates list's cursor: a (reason, key) position where the other lists keep a (sort
 * value, id) one, made the same way (see cursor.ts): base64url JSON plus a SHA-256 integrity
 * check, so an edited or truncated cursor is a 400, never a wrong page.
 */
const MAC_KEY = 'crm-duplicates-cursor-v1';
const VERSION = 1;
const MAX_LENGTH = 2048;

function mac(payload: string): string {
  return sha256(`${MAC_KEY}.${payload}`, 'base64url').slice(0, 16);
}

export function encodeDuplicatesCursor(position: DuplicatePosition): string {
  const payload = Buffer.from(JSON.stringify([VERSION, position.reason, position.key])).toString('base64url');
  return `${payload}.${mac(payload)}`;
}

export function decodeDuplicatesCursor(token: string): DuplicatePosition {
  const invalid = (message: string) => new InvalidParameterError([{ path: 'cursor', message }], 'The cursor is not valid');
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > MAX_LENGTH) throw invalid('malformed cursor');
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('cursor was altered or truncated');
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed cursor');
  }
  if (!Array.isArray(fields) || fields.length !== 3 || fields[0] !== VERSION) throw invalid('unsupported cursor');
  const [, reason, key] = fields as [number, unknown, unknown];
  if (!DUPLICATE_REASONS.includes(reason as DuplicateReason) || typeof key !== 'string') throw invalid('malformed cursor');
  return { reason: reason as DuplicateReason, key };
}
