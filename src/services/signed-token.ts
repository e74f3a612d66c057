import { timingSafeEqual } from 'node:crypto';
import { InvalidParameterError } from '../domain/errors';
import { sha256 } from '../domain/sha256';

/**
 * The form of every list cursor: base64url JSON of an array plus a MAC. The MAC is an
 * integrity check (a truncated or edited cursor is a 400, not a wrong page or a database
 * error), not a secret: a forged position could only ever select rows the caller may list.
 * So it is a SHA-256 over a fixed prefix and the payload, not an HMAC: the prefix is public in
 * this source anyway, and the one-shot hash is several times cheaper on every list request.
 */
const MAX_LENGTH = 2048;

function mac(key: string, payload: string): string {
  return sha256(`${key}.${payload}`, 'base64url').slice(0, 16);
}

/** The 400 a bad cursor gets, naming the `cursor` parameter. */
export function invalidCursor(message: string): InvalidParameterError {
  return new InvalidParameterError([{ path: 'cursor', message }], 'The cursor is not valid');
}

export function signToken(key: string, fields: readonly unknown[]): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString('base64url');
  return `${payload}.${mac(key, payload)}`;
}

/** The fields of a token signed with `key`; a 400 when it was altered, truncated or is not one. */
export function readToken(key: string, token: string): unknown[] {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > MAX_LENGTH) throw invalidCursor('malformed cursor');
  const expected = Buffer.from(mac(key, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor('cursor was altered or truncated');
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('malformed cursor');
  }
  if (!Array.isArray(fields)) throw invalidCursor('unsupported cursor');
  return fields;
}
