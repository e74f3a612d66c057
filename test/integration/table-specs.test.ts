import type { Database } from '../../src/db/open-database';
import { CRM_TABLES } from '../../src/db/tables/crm-tables';
import type { ColumnType } from '../../src/db/tables/table-definition';
import { testBackends, useMigratedScratchDatabase, type Backend } from '../support/test-databases';

/**
 * The table specs against the schema the migrations build: the same tables, columns,
 * nullability, primary keys, and a stored type each spec type can live in.
 */

/** Tables that hold no CRM data: the migrations' own bookkeeping, and search indexes rebuilt from clients. */
const NOT_DATA_TABLES = new Set(['crm_migrations', 'crm_migration_lock', 'client_search', 'client_search_fts']);
/** SQLite FTS5 keeps the index of client_search_fts in shadow tables of its own. */
const isFtsShadowTable = (name: string) => name.startsWith('client_search_fts_');

/** The declared types each spec type may have: SQLite keeps the declared text (Knex writes uuid as char(36)), PostgreSQL's udt_name. */
const STORED_TYPES: Record<Backend, Record<ColumnType, readonly string[]>> = {
  sqlite: { uuid: ['char(36)'], text: ['text', 'varchar'], 'json-text': ['text'], int: ['integer'], timestamp: ['datetime'] },
  postgres: { uuid: ['uuid'], text: ['text', 'varchar'], 'json-text': ['text'], int: ['int4', 'int8'], timestamp: ['timestamptz'] },
};

interface StoredColumn {
  readonly name: string;
  /** Lower case, length dropped except for char(n) (a uuid on SQLite is char(36), not any char). */
  readonly type: string;
  readonly nullable: boolean;
}

interface StoredTable {
  readonly columns: StoredColumn[];
  readonly primaryKey: string[];
  /** Tables its foreign keys point to. */
  readonly references: string[];
}

describe.each(testBackends())('table specs against the migrated schema on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend, 'all');
  let schema: Map<string, StoredTable>;

  beforeAll(async () => {
    schema = backend === 'sqlite' ? await sqliteSchema(scratch.database) : await postgresSchema(scratch.database);
  });

  it('has a spec for every table holding data, and every spec has its table', () => {
    const unspecified = [...schema.keys()].filter((name) => !CRM_TABLES.some((table) => table.name === name));
    expect(unspecified.filter((name) => !NOT_DATA_TABLES.has(name) && !isFtsShadowTable(name))).toEqual([]);
    expect(CRM_TABLES.map((table) => table.name).filter((name) => !schema.has(name))).toEqual([]);
  });

  it.each(CRM_TABLES.map((table) => [table.name, table] as const))('%s: same columns, nullability and type families', (name, table) => {
    const stored = schema.get(name)!;
    expect(stored.columns.map((column) => column.name).sort()).toEqual(table.columns.map((column) => column.sql).sort());
    const mismatches = table.columns.flatMap((column) => {
      const found = stored.columns.find((candidate) => candidate.name === column.sql)!;
      const problems: string[] = [];
      // A primary key is never null: PostgreSQL enforces it; SQLite would take a NULL in a
      // non-integer key not declared NOT NULL (an old SQLite rule), but ids are always generated.
      const nullable = found.nullable && !stored.primaryKey.includes(column.sql);
      if (nullable !== (column.nullable === true)) problems.push(`${column.sql}: ${nullable ? 'nullable' : 'NOT NULL'} in the database`);
      const storedAs = STORED_TYPES[backend][column.type];
      if (!storedAs.includes(found.type)) problems.push(`${column.sql}: ${found.type} does not hold ${column.type}`);
      return problems;
    });
    expect(mismatches).toEqual([]);
    expect(stored.primaryKey).toEqual(table.primaryKey);
  });

  it('lists the tables a parent before its children', () => {
    const order = CRM_TABLES.map((table) => table.name);
    const backwards = order.flatMap((name, position) => {
      const parents = schema.get(name)!.references;
      return parents.filter((parent) => order.indexOf(parent) >= position).map((parent) => `${name} -> ${parent}`);
    });
    expect(backwards).toEqual([]);
  });
});

async function sqliteSchema(database: Database): Promise<Map<string, StoredTable>> {
  const { knex } = database;
  const tables: Array<{ name: string }> = await knex.raw(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  const schema = new Map<string, StoredTable>();
  for (const { name } of tables) {
    // table_xinfo also lists generated columns; hidden = 1 marks a virtual table's internal ones.
    const columns: Array<{ name: string; type: string; notnull: number; pk: number; hidden: number }> = await knex.raw(
      `PRAGMA table_xinfo(${JSON.stringify(name)})`,
    );
    const keys: Array<{ table: string }> = await knex.raw(`PRAGMA foreign_key_list(${JSON.stringify(name)})`);
    const visible = columns.filter((column) => column.hidden !== 1);
    const keyColumns = visible.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk);
    schema.set(name, {
      columns: visible.map((column) => ({ name: column.name, type: typeFamily(column.type), nullable: column.notnull === 0 })),
      primaryKey: keyColumns.map((column) => column.name),
      references: keys.map((key) => key.table),
    });
  }
  return schema;
}

async function postgresSchema(database: Database): Promise<Map<string, StoredTable>> {
  const { knex } = database;
  const tables = await knex.raw<{ rows: Array<{ table_name: string }> }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const columns = await knex.raw<{ rows: Array<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }> }>(
    'SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema()',
  );
  const keys = await knex.raw<{ rows: Array<{ table_name: string; column_name: string }> }>(
    `SELECT constraints.table_name, usage.column_name
       FROM information_schema.table_constraints constraints
       JOIN information_schema.key_column_usage usage
         ON usage.constraint_schema = constraints.constraint_schema AND usage.constraint_name = constraints.constraint_name
      WHERE constraints.constraint_type = 'PRIMARY KEY' AND constraints.table_schema = current_schema()
      ORDER BY constraints.table_name, usage.ordinal_position`,
  );
  const references = await knex.raw<{ rows: Array<{ table_name: string; parent: string }> }>(
    "SELECT conrelid::regclass::text AS table_name, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f'",
  );
  const schema = new Map<string, StoredTable>();
  for (const { table_name: name } of tables.rows) {
    schema.set(name, {
      columns: columns.rows
        .filter((column) => column.table_name === name)
        .map((column) => ({ name: column.column_name, type: column.udt_name, nullable: column.is_nullable === 'YES' })),
      primaryKey: keys.rows.filter((key) => key.table_name === name).map((key) => key.column_name),
      references: references.rows.filter((reference) => reference.table_name === name).map((reference) => reference.parent),
    });
  }
  return schema;
}

function typeFamily(declared: string): string {
  const type = declared.toLowerCase();
  return type.startsWith('char(') ? type : type.replace(/\(.*\)$/, '');
}
