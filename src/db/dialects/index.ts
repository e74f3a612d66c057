import type { Dialect } from './dialect';
import { postgresDialect } from './postgres.dialect';
import { sqliteDialect } from './sqlite.dialect';

export type { Dialect } from './dialect';

export function dialectFor(driver: 'sqlite' | 'postgres'): Dialect {
  return driver === 'postgres' ? postgresDialect : sqliteDialect;
}

/** The dialect of an open Knex instance (for migrations, which receive only Knex). */
export function dialectOf(knex: { client: { config: { client?: unknown } } }): Dialect {
  const client = String(knex.client.config.client ?? '');
  return dialectFor(client === 'pg' || client === 'postgres' || client === 'postgresql' ? 'postgres' : 'sqlite');
}
