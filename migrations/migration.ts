import type { Knex } from 'knex';

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
