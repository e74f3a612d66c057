import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '../domain/sha256';
import { InvalidParameterError } from '../domain/errors';
import type { KeysetPosition } from '../repositories/page';

/**
 * Cursors are opaque to clients: base64url JSON of the position plus a MAC. The MAC is an
 * integrity check (a truncated or edited cursor is a 400, not a wrong page or a database
 * error), not a secret: a forged position could only ever select rows the caller may list.
 * So it is a SHA-256 over a fixed prefix and the payload, not an HMAC: the prefix is public in
 * this source anyway, and the one-shot hash is several times cheaper on every list request.
 */
const MAC_KEY = 'crm-cursor-v1';
const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface CursorContext {
  /** The sort the cursor was made for. */
  readonly sort: string;
  /** A fingerprint of the filters: a cursor only continues the list it came from. */
  readonly filters: string;
  /** Whether the sort value is a timestamp (checked strictly) or text. */
  readonly valueKind: 'timestamp' | 'text';
}

function mac(payload: string): string {
  return sha256(`${MAC_KEY}.${payload}`, 'base64url').slice(0, 16);
}

export function encodeCursor(position: KeysetPosition, context: CursorContext): string {
  const payload = Buffer.from(JSON.stringify([VERSION, context.sort, context.filters, position.value, position.id])).toString('base64url');
  return `${payload}.${mac(payload)}`;
}

export function decodeCursor(token: string, context: CursorContext): KeysetPosition {
  const invalid = (message: string) => new InvalidParameterError([{ path: 'cursor', message }], 'The cursor is not valid');
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || token.length > 2048) throw invalid('malformed cursor');
  const expected = Buffer.from(mac(payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('cursor was altered or truncated');
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed cursor');
  }
  if (!Array.isArray(fields) || fields.length !== 5 || fields[0] !== VERSION) throw invalid('unsupported cursor');
  const [, sort, filters, value, id] = fields as [number, unknown, unknown, unknown, unknown];
  if (sort !== context.sort || filters !== context.filters) {
    throw invalid('this cursor belongs to a list with other sort or filter parameters');
  }
  if (typeof id !== 'string' || !UUID.test(id) || typeof value !== 'string') throw invalid('malformed cursor');
  if (context.valueKind === 'timestamp' && !ISO.test(value)) throw invalid('malformed cursor');
  return { value, id };
}

/**
 * The context of one list request. The filter fingerprint is a hash, and most pages neither
 * take a cursor nor give one (a client's timeline usually fits in one page), so it is only
 * computed when a cursor is decoded or encoded.
 */
export function cursorContext(
  sort: string,
  valueKind: CursorContext['valueKind'],
  filters: Record<string, string | undefined>,
): CursorContext {
  let fingerprint: string | undefined;
  return {
    sort,
    valueKind,
    get filters() {
      return (fingerprint ??= filterFingerprint(filters));
    },
  };
}

/** A stable fingerprint of a filter object (keys sorted, undefined dropped). */
export function filterFingerprint(filters: Record<string, string | undefined>): string {
  const entries = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(`${MAC_KEY}:${JSON.stringify(entries)}`, 'base64url').slice(0, 12);
}
