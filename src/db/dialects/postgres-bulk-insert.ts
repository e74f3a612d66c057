import type { Knex } from 'knex';

/**
 * One statement per batch whatever its size: the rows travel as a single JSON parameter and
 * PostgreSQL types each field from the table's own row type, so there is no 65,535-parameter
 * limit to split around and no per-value placeholder to build.
 */
export async function postgresBulkInsert(knex: Knex, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first).map((column) => knex.raw('??', [column]).toQuery()).join(', ');
  await knex.raw(`INSERT INTO ?? (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::??, ?::json)`, [
    table,
    table,
    JSON.stringify(rows),
  ]);
}
