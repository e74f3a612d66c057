import { childKeyColumn, type CompoundWrite, type TableRows } from '../sql/compound-write';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { columnNamed, type ColumnType, type Table } from '../tables/table-definition';

/** The array type each column type travels as, for unnest(). */
export const ARRAY_TYPE: Readonly<Record<ColumnType, string>> = {
  uuid: 'uuid[]',
  text: 'text[]',
  'json-text': 'text[]',
  int: 'int[]',
  timestamp: 'timestamptz[]',
};

const SCALAR_TYPE: Readonly<Record<ColumnType, string>> = {
  uuid: 'uuid',
  text: 'text',
  'json-text': 'text',
  int: 'int',
  timestamp: 'timestamptz',
};

const REUSABLE: StatementOptions = { reusable: true };

/** The WITH statement of each shape of write (its text does not depend on how many rows). */
const texts = new Map<string, string>();

/**
 * A compound write as one statement: the change in a data-modifying WITH, each dependent table
 * written from arrays (one parameter per column, unnest()) only if the change matched a row.
 * One statement is atomic without BEGIN and COMMIT, so the write costs one round trip instead
 * of one per statement plus two, and its text, the same whatever the number of rows, stays
 * prepared on the connection. Errors keep their SQLSTATE (unique, foreign key, check).
 */
export async function applyPostgresCompoundWrite(session: SqlSession, write: CompoundWrite): Promise<number> {
  if (write.insertsRow && !write.children && session.concurrentInserts) return session.concurrentInserts.apply(write);
  if (!write.children && !write.inserts?.length) return session.run(write.sql, write.params, REUSABLE);
  const params: unknown[] = [...write.params];
  if (write.children) {
    const key = childKeyColumn(write.children);
    params.push(
      write.children.parentId,
      write.children.rows.map((row) => row[key]),
      ...columnArrays(write.children),
    );
  }
  for (const rows of write.inserts ?? []) params.push(...(rows.single ? singleRow(rows) : columnArrays(rows)));
  const row = await session.firstValues(textOf(write), params, REUSABLE);
  return Number(row?.[0] ?? 0);
}

/** What a write's statement text depends on: writes of one shape share a text, whatever their values. */
export function shapeOf(write: CompoundWrite): string {
  return [
    write.sql,
    write.children?.table.name,
    write.children?.parentColumn,
    ...(write.inserts ?? []).map((rows) => `${rows.table.name} ${rows.single ? 'single' : 'arrays'} ${rows.onlyWith ?? ''}`),
  ].join('\u0000');
}

function textOf(write: CompoundWrite): string {
  const shape = shapeOf(write);
  let text = texts.get(shape);
  if (text === undefined) {
    const parts = [`written AS (${write.sql} RETURNING 1)`];
    if (write.children) {
      const { table, parentColumn } = write.children;
      const key = childKeyColumn(write.children);
      const keyType = ARRAY_TYPE[columnNamed(table, key).type];
      parts.push(
        `gone AS (DELETE FROM ${table.name} WHERE ${parentColumn} = ? AND NOT (${key} = ANY (?::${keyType})) AND EXISTS (SELECT 1 FROM written))`,
        // Rows already there stay (the DELETE above never touches them); a row listed twice
        // fails on the primary key, as it would on SQLite.
        `added AS (${insertFromArrays(table)} AND NOT EXISTS (SELECT 1 FROM ${table.name} AS present WHERE ${table.primaryKey
          .map((column) => `present.${column} = incoming.${column}`)
          .join(' AND ')}))`,
      );
    }
    (write.inserts ?? []).forEach((rows, index) =>
      parts.push(`added_${index} AS (${rows.single ? insertOne(rows.table, rows.onlyWith) : insertFromArrays(rows.table, rows.onlyWith)})`),
    );
    text = `WITH ${parts.join(', ')} SELECT count(*)::int FROM written`;
    texts.set(shape, text);
  }
  return text;
}

export function insertFromArrays(table: Table, onlyWith?: string): string {
  const columns = table.columns.map((column) => column.sql).join(', ');
  const arrays = table.columns.map((column) => `?::${ARRAY_TYPE[column.type]}`).join(', ');
  const source = onlyWith ? `, ${onlyWith}` : '';
  return `INSERT INTO ${table.name} (${columns}) SELECT incoming.* FROM unnest(${arrays}) AS incoming (${columns})${source} WHERE EXISTS (SELECT 1 FROM written)`;
}

/**
 * One row as plain parameters: arrays cost the driver an array literal per column to build and
 * the server one to parse, for a single value each (a history entry, an event).
 */
function insertOne(table: Table, onlyWith?: string): string {
  const columns = table.columns.map((column) => column.sql).join(', ');
  const values = table.columns.map((column) => `?::${SCALAR_TYPE[column.type]}`).join(', ');
  const source = onlyWith ? ` FROM ${onlyWith}` : '';
  return `INSERT INTO ${table.name} (${columns}) SELECT ${values}${source} WHERE EXISTS (SELECT 1 FROM written)`;
}

function singleRow({ table, rows }: TableRows): unknown[] {
  const [row] = rows;
  if (!row || rows.length !== 1) throw new Error(`${table.name}: a single-row insert needs exactly one row`);
  return table.columns.map((column) => row[column.sql]);
}

export function columnArrays({ table, rows }: TableRows): unknown[][] {
  return table.columns.map((column) => rows.map((row) => row[column.sql]));
}
