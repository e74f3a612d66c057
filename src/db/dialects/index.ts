import type { Dialect } from './dialect';
import type { DialectTools } from './dialect-tools';
import { postgresDialect } from './postgres.dialect';
import { postgresTools } from './postgres-tools';
import { sqliteDialect } from './sqlite.dialect';
import { sqliteTools } from './sqlite-tools';

export type { Dialect } from './dialect';
export type { DialectTools } from './dialect-tools';

export function dialectFor(driver: 'sqlite' | 'postgres'): Dialect {
  return driver === 'postgres' ? postgresDialect : sqliteDialect;
}

export function toolsFor(driver: 'sqlite' | 'postgres'): DialectTools {
  return driver === 'postgres' ? postgresTools : sqliteTools;
}
