/**
 * A table as the application knows it, declared once: its columns (SQL name, domain name, stored
 * type, nullability, who computes the value), its primary key. Column lists, SQL text, row types,
 * row mappers, export shapes and copy specs are derived from it; a test compares every
 * definition with the schema the migrations build.
 */

/** How values are stored; json-text is a JSON document kept as text, alike on both backends. */
export type ColumnType = 'uuid' | 'text' | 'json-text' | 'int' | 'timestamp';

/** One column of any table (the form the derivations read). */
export interface Column {
  readonly sql: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** The field of the domain record (and of the API) that the column stores. */
  readonly api?: string;
  /** Written by the INSERT only: an UPDATE never changes a row's identity, owner or creation time. */
  readonly insertOnly?: boolean;
  /** Computed by the application from the record's other fields each time the row is written (null only in a nullable column). */
  derive?(record: never): string | null;
  /** A derived column the reads select as well (sort_name: the name-sorted cursor continues from it). */
  readonly readBack?: boolean;
}

/** A column of a table whose rows store records of type Domain. */
interface ColumnOf<Domain> extends Column {
  readonly api?: keyof Domain & string;
  derive?(record: Domain): string | null;
}

export interface Table {
  readonly name: string;
  readonly columns: readonly Column[];
  /** Primary-key columns, in index order. */
  readonly primaryKey: readonly string[];
  /** Rows computed from another table's records (a client's tags): never exported, rebuilt on import. */
  readonly derivedFrom?: string;
}

/**
 * Declares a table, keeping every name and type literal so row types and column-name unions can
 * be derived from it: `defineTable<Client>()({ name: 'clients', columns: [...], primaryKey: ['id'] })`.
 */
export function defineTable<Domain = never>() {
  return <const Columns extends readonly ColumnOf<Domain>[], const Key extends readonly Columns[number]['sql'][]>(table: {
    readonly name: string;
    readonly columns: Columns;
    readonly primaryKey: Key;
    readonly derivedFrom?: string;
  }) => table;
}

type ColumnsOf<T extends Table> = T['columns'][number];
export type ColumnName<T extends Table> = ColumnsOf<T>['sql'];
/** The columns a read selects: every stored domain field, plus derived columns read back. */
type ReadColumnName<T extends Table> = Extract<ColumnsOf<T>, { api: string } | { readBack: true }>['sql'];

type StoredValue<C extends Column> = C['type'] extends 'int' ? number : C['type'] extends 'timestamp' ? unknown : string;

/**
 * A row as the drivers take it. Timestamps are `unknown`: ISO text on SQLite, a Date on
 * PostgreSQL. (A type alias, not an interface: rows must fit Record<string, unknown>.)
 */
export type RowOf<T extends Table> = {
  -readonly [C in ColumnsOf<T> as C['sql']]: C extends { nullable: true } ? StoredValue<C> | null : StoredValue<C>;
};

export function readColumns<T extends Table>(table: T): ReadColumnName<T>[] {
  return table.columns
    .filter((column) => column.api !== undefined || column.readBack === true)
    .map((column) => column.sql as ReadColumnName<T>);
}

/** The columns holding domain fields, in table order: what an export reads. */
export function domainColumns(table: Table): string[] {
  return table.columns.filter((column) => column.api !== undefined).map((column) => column.sql);
}

/** The columns only an INSERT sets, and those an UPDATE rewrites, each in table order. */
export function writeColumns<T extends Table>(table: T): { insertOnly: ColumnName<T>[]; updated: ColumnName<T>[] } {
  return {
    insertOnly: table.columns.filter((column) => column.insertOnly === true).map((column) => column.sql as ColumnName<T>),
    updated: table.columns.filter((column) => column.insertOnly !== true).map((column) => column.sql as ColumnName<T>),
  };
}

/** Where each column sits in a row fetched as an array with this select list. */
export function positionsOf<C extends string>(columns: readonly C[]): Readonly<Record<C, number>> {
  return Object.fromEntries(columns.map((column, index) => [column, index])) as Record<C, number>;
}

/** The column of the table with this SQL name; a name the table lacks is a programming error. */
export function columnNamed(table: Table, sql: string): Column {
  const column = table.columns.find((candidate) => candidate.sql === sql);
  if (!column) throw new Error(`${table.name} has no column ${sql}`);
  return column;
}

/** `INSERT INTO table (a, b) VALUES (?, ?)`: one placeholder per column, values in the same order. */
export function insertSql(table: Table, columns: readonly string[]): string {
  return `INSERT INTO ${table.name} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}
