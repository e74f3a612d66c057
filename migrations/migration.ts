import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialects';
import type { Dialect } from '../src/db/dialects/dialect';

/** One schema step, written once with the Knex schema builder for both dialects. */
export interface Migration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Millisecond-precision UTC timestamps: timestamptz(3) on PostgreSQL, ISO text on SQLite. */
export function timestampColumn(table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/** The dialect hooks that take only a Knex instance: one schema step each way. */
type DialectStep = { [K in keyof Dialect]: Dialect[K] extends (knex: Knex) => Promise<void> ? K : never }[keyof Dialect];

/** A step whose SQL differs by database: up and down are the named hooks of the connection's dialect. */
export function dialectMigration(name: string, up: DialectStep, down: DialectStep): Migration {
  return {
    name,
    up: (knex) => dialectOf(knex)[up](knex),
    down: (knex) => dialectOf(knex)[down](knex),
  };
}
