import type { Knex } from 'knex';
import type { KeysetPosition, Page } from '../../repositories/page';

export interface KeysetOrder {
  /** The column the list is sorted on; the id column breaks ties. */
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

/**
 * Keyset pagination: continue strictly after (sort value, id) of the last row seen, so page N
 * costs the same as page 1 and rows inserted between requests never shift a page. The row
 * comparison is understood by both SQLite (3.15+) and PostgreSQL and is served by the
 * (column, id) indexes.
 */
export function applyKeyset(query: Knex.QueryBuilder, order: KeysetOrder, after: KeysetPosition | null, limit: number): Knex.QueryBuilder {
  if (after) {
    const operator = order.direction === 'desc' ? '<' : '>';
    query.whereRaw(`(??, ??) ${operator} (?, ?)`, [order.column, 'id', after.value, after.id]);
  }
  // One extra row tells whether there is a next page without a COUNT.
  return query
    .orderBy([
      { column: order.column, order: order.direction },
      { column: 'id', order: order.direction },
    ])
    .limit(limit + 1);
}

export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  limit: number,
  toDomain: (row: Row) => T,
  positionValue: (row: Row) => string,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(toDomain),
    nextPosition: hasMore && last ? { value: positionValue(last), id: last.id } : null,
  };
}

/** A LIKE pattern that matches `term` literally anywhere: % and _ in the term are not wildcards. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
