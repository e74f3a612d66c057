import type { Knex } from 'knex';

/** The database a migration runs on; its statements may differ by engine, and are frozen here. */
export type MigrationDriver = 'sqlite' | 'postgres';

/**
 * One schema step. Everything it runs lives in its own file: a later change to the running
 * app's code cannot change what an old step does to a database it has not reached yet.
 */
export interface Migration {
  readonly name: string;
  up(knex: Knex, driver: MigrationDriver): Promise<void>;
  down(knex: Knex, driver: MigrationDriver): Promise<void>;
}

/** Millisecond-precision UTC timestamps: timestamptz(3) on PostgreSQL, ISO text on SQLite. */
export function timestampColumn(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/** Statements per engine, run in order; an engine with none has nothing to do in that step. */
type StatementsByDriver = Readonly<Record<MigrationDriver, readonly string[]>>;

export async function runStatements(knex: Knex, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await knex.raw(statement);
}

/** A step written as plain SQL per engine, both ways. */
export function sqlMigration(name: string, up: StatementsByDriver, down: StatementsByDriver): Migration {
  return {
    name,
    up: (knex, driver) => runStatements(knex, up[driver]),
    down: (knex, driver) => runStatements(knex, down[driver]),
  };
}
