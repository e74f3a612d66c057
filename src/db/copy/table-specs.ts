import { CRM_TABLES } from '../tables/crm-tables';
import type { ColumnType } from '../tables/table-definition';

/**
 * What `crm db copy` moves: the CRM tables in foreign-key order (a parent before its children),
 * every column, and the kind of each value so both dialects read it into the same canonical form.
 * crm_migrations is not copied: the target is migrated to the same version instead.
 * Derived search structures (SQLite client_search + FTS, PostgreSQL pg_trgm) are rebuilt by the target.
 */
export type ColumnKind = 'uuid' | 'text' | 'int' | 'timestamp';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** Primary-key columns, in index order: the copy and the checksum walk the table in this order. */
  readonly primaryKey: readonly string[];
}

/** JSON text is copied and compared byte for byte, like any text. */
const KIND_OF_TYPE: Readonly<Record<ColumnType, ColumnKind>> = {
  uuid: 'uuid',
  text: 'text',
  'json-text': 'text',
  int: 'int',
  timestamp: 'timestamp',
};

export const COPY_TABLES: readonly TableSpec[] = CRM_TABLES.map((table) => ({
  name: table.name,
  primaryKey: table.primaryKey,
  columns: table.columns.map((column) => ({ name: column.sql, kind: KIND_OF_TYPE[column.type] })),
}));

/** Positions of the primary-key columns in a row of `table` (rows are arrays in column order). */
export function primaryKeyPositions(table: TableSpec): number[] {
  return table.primaryKey.map((name) => {
    const position = table.columns.findIndex((column) => column.name === name);
    if (position < 0) throw new Error(`${table.name}: primary-key column ${name} is not a column`);
    return position;
  });
}
