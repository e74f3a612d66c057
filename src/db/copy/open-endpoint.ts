import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config';
import { openDatabase } from '../open-database';
import { redactDatabaseUrl, type StorageTarget } from '../../storage/storage-target';
import type { CopyEndpoint } from './copy-endpoint';
import { PostgresEndpoint } from './postgres-endpoint';
import { SqliteEndpoint } from './sqlite-endpoint';

/** A --from / --to argument that cannot name a database. */
export class LocationError extends Error {}

/** "postgres://…" or "postgresql://…" is a PostgreSQL database; anything else is a SQLite file path. */
export function parseLocation(spec: string, cwd = process.cwd()): StorageTarget {
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    try {
      new URL(spec);
    } catch {
      throw new LocationError(`not a valid PostgreSQL URL: ${redactDatabaseUrl(spec)}`);
    }
    return { driver: 'postgres', url: spec, location: redactDatabaseUrl(spec), persistent: true, reason: 'database-url' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec))
    throw new LocationError(`unsupported database URL scheme: ${spec.split(':')[0]}: (use postgres:// or a SQLite file path)`);
  const file = path.resolve(cwd, spec);
  return { driver: 'sqlite', path: file, location: file, persistent: false, reason: 'sqlite-path' };
}

/** Two specs naming the same database (the same file, or the same host, port and database). */
export function sameDatabase(a: StorageTarget, b: StorageTarget): boolean {
  if (a.driver === 'sqlite' && b.driver === 'sqlite') return realPath(a.path) === realPath(b.path);
  if (a.driver === 'postgres' && b.driver === 'postgres') {
    const [x, y] = [new URL(a.url), new URL(b.url)];
    return x.hostname === y.hostname && (x.port || '5432') === (y.port || '5432') && x.pathname === y.pathname;
  }
  return false;
}

/**
 * Opens one side of a copy: the engine-specific endpoint is chosen here, once. A source file
 * must exist (opening a missing SQLite path would create an empty database and "copy" nothing).
 */
export function openCopyEndpoint(target: StorageTarget, config: Config, role: 'source' | 'target'): CopyEndpoint {
  if (target.driver === 'sqlite' && role === 'source' && !fs.existsSync(target.path)) {
    throw new LocationError(`no SQLite database at ${target.path}`);
  }
  // A copy holds one connection per side for its whole length; a small pool is plenty.
  const database = openDatabase(target, { ...config.database, poolMax: 2 });
  return target.driver === 'postgres' ? new PostgresEndpoint(database) : new SqliteEndpoint(database);
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
