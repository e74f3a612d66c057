/**
 * What `crm db copy` moves: the CRM tables in foreign-key order (a parent before its children),
 * every column, and the kind of each value so both dialects read it into the same canonical form.
 * crm_migrations is not copied: the target is migrated to the same version instead.
 * clients.tags is JSON text stored alike on both backends: copied and compared byte for byte.
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

const col = (name: string, kind: ColumnKind): ColumnSpec => ({ name, kind });

export const COPY_TABLES: readonly TableSpec[] = [
  {
    name: 'clients',
    primaryKey: ['id'],
    columns: [
      col('id', 'uuid'), col('name', 'text'), col('email', 'text'), col('phone', 'text'), col('company', 'text'),
      col('status', 'text'), col('tags', 'text'), col('notes', 'text'), col('search_text', 'text'),
      col('sort_name', 'text'), col('created_at', 'timestamp'), col('updated_at', 'timestamp'), col('version', 'int'),
    ],
  },
  {
    name: 'client_tags',
    primaryKey: ['client_id', 'tag'],
    columns: [col('client_id', 'uuid'), col('tag', 'text')],
  },
  {
    name: 'exchanges',
    primaryKey: ['id'],
    columns: [
      col('id', 'uuid'), col('client_id', 'uuid'), col('kind', 'text'), col('direction', 'text'), col('subject', 'text'),
      col('body', 'text'), col('occurred_at', 'timestamp'), col('follow_up_at', 'timestamp'), col('created_at', 'timestamp'),
      col('updated_at', 'timestamp'), col('version', 'int'),
    ],
  },
  {
    name: 'idempotency_keys',
    primaryKey: ['scope', 'key'],
    columns: [
      col('scope', 'text'), col('key', 'text'), col('request_hash', 'text'), col('status_code', 'int'),
      col('response_body', 'text'), col('location', 'text'), col('created_at', 'timestamp'), col('expires_at', 'timestamp'),
    ],
  },
];

/** Positions of the primary-key columns in a row of `table` (rows are arrays in column order). */
export function primaryKeyPositions(table: TableSpec): number[] {
  return table.primaryKey.map((name) => {
    const position = table.columns.findIndex((column) => column.name === name);
    if (position < 0) throw new Error(`${table.name}: primary-key column ${name} is not a column`);
    return position;
  });
}
