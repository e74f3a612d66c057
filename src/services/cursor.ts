import { sha256 } from '../domain/sha256';
import type { KeysetPosition } from '../repositories/page';
import { invalidCursor, readToken, signToken } from './signed-token';

/** Cursors are opaque to clients: a signed token (signed-token.ts) of the sort, filters and position. */
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

export function encodeCursor(position: KeysetPosition, context: CursorContext): string {
  return signToken(MAC_KEY, [VERSION, context.sort, context.filters, position.value, position.id]);
}

export function decodeCursor(token: string, context: CursorContext): KeysetPosition {
  const fields = readToken(MAC_KEY, token);
  if (fields.length !== 5 || fields[0] !== VERSION) throw invalidCursor('unsupported cursor');
  const [, sort, filters, value, id] = fields as [number, unknown, unknown, unknown, unknown];
  if (sort !== context.sort || filters !== context.filters) {
    throw invalidCursor('this cursor belongs to a list with other sort or filter parameters');
  }
  if (typeof id !== 'string' || !UUID.test(id) || typeof value !== 'string') throw invalidCursor('malformed cursor');
  if (context.valueKind === 'timestamp' && !ISO.test(value)) throw invalidCursor('malformed cursor');
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
