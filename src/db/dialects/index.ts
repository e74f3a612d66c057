import type { Dialect } from './dialect';
import { postgresDialect } from './postgres.dialect';
import { sqliteDialect } from './sqlite.dialect';

export type { Dialect } from './dialect';

export function dialectFor(driver: 'sqlite' | 'postgres'): Dialect {
  return driver === 'postgres' ? postgresDialect : sqliteDialect;
}
