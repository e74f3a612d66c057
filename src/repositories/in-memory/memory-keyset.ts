import type { KeysetPosition, Page } from '../page';

/** A sort value: an instant (timestamps) or UTF-8 bytes (text, compared as BINARY / COLLATE "C"). */
export type SortValue = number | Buffer;

export interface MemoryKeysetOrder<Row> {
  readonly direction: 'asc' | 'desc';
  sortValue(row: Row): SortValue;
  /** A cursor position's value in the same form as sortValue. */
  positionValue(value: string): SortValue;
  /** The value a cursor carries for the row, as the SQL adapters give it. */
  positionOf(row: Row): string;
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number') return a - (b as number);
  return Buffer.compare(a, b as Buffer);
}

// Ids are lower-case UUIDs: ASCII, whose UTF-16 order is their byte order.
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The page the SQL adapters' keysetQuery returns: rows ordered by (sort value, id), both in the
 * list's direction, strictly after the position, limit of them and whether there are more.
 */
export function memoryKeysetPage<Row extends { readonly id: string }, T>(
  rows: readonly Row[],
  order: MemoryKeysetOrder<Row>,
  after: KeysetPosition | null,
  limit: number,
  toDomain: (row: Row) => T,
): Page<T> {
  const sign = order.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, value: order.sortValue(row) }));
  const compare = (a: { row: Row; value: SortValue }, b: { row: Row; value: SortValue }) =>
    sign * (compareValues(a.value, b.value) || compareIds(a.row.id, b.row.id));
  let candidates = keyed;
  if (after) {
    const start = { row: { id: after.id } as Row, value: order.positionValue(after.value) };
    candidates = keyed.filter((entry) => compare(entry, start) > 0);
  }
  const sorted = candidates.sort(compare);
  const hasMore = sorted.length > limit;
  const pageRows = sorted.slice(0, limit).map((entry) => entry.row);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toDomain),
    nextPosition: hasMore && last !== undefined ? { value: order.positionOf(last), id: last.id } : null,
  };
}

export function instantOrder<Row>(
  direction: 'asc' | 'desc',
  instantOf: (row: Row) => number,
  isoOf: (row: Row) => string,
): MemoryKeysetOrder<Row> {
  return { direction, sortValue: instantOf, positionValue: (value) => Date.parse(value), positionOf: isoOf };
}

export function bytewiseOrder<Row>(
  direction: 'asc' | 'desc',
  bytesOf: (row: Row) => Buffer,
  textOf: (row: Row) => string,
): MemoryKeysetOrder<Row> {
  return { direction, sortValue: bytesOf, positionValue: (value) => Buffer.from(value, 'utf8'), positionOf: textOf };
}
