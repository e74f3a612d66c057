import type { KeysetPosition, Page } from '../../repositories/page';

export interface KeysetOrder {
  /** The column the list is sorted on; the id column breaks ties. */
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

/** WHERE conditions and their parameters, in order. */
export class Conditions {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  toSql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/**
 * Keyset pagination: continue strictly after (sort value, id) of the last row seen, so page N
 * costs the same as page 1 and rows inserted between requests never shift a page. Row-value
 * comparison is understood by both SQLite (3.15+) and PostgreSQL and is served by the
 * (column, id) indexes. One extra row tells whether there is a next page, without a COUNT.
 */
/** The ORDER BY terms of a keyset list: the sort column, then the id, in one direction. */
export function orderByTerms(order: KeysetOrder): string[] {
  const dir = order.direction === 'desc' ? 'DESC' : 'ASC';
  return [`${order.column} ${dir}`, `id ${dir}`];
}

export function keysetQuery(select: string, conditions: Conditions, order: KeysetOrder, after: KeysetPosition | null, limit: number) {
  if (after) conditions.add(`(${order.column}, id) ${order.direction === 'desc' ? '<' : '>'} (?, ?)`, after.value, after.id);
  return {
    sql: `${select} ${conditions.toSql()} ORDER BY ${orderByTerms(order).join(', ')} LIMIT ?`,
    params: [...conditions.params, limit + 1],
  };
}

/** rows: limit + 1 at most; the extra one only says that a next page exists. */
export function toPage<Row, T>(rows: Row[], limit: number, toDomain: (row: Row) => T, positionOf: (row: Row) => KeysetPosition): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toDomain),
    nextPosition: hasMore && last !== undefined ? positionOf(last) : null,
  };
}
