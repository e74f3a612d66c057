import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { MountProbe } from './mount-probe';
import { DISK_DATABASE_FILE, LOCAL_SQLITE_PATH } from './resolve-storage';
import type { StorageTarget } from './storage-target';

/** A SQLite database with CRM rows that the server is not serving, because DATABASE_URL wins. */
interface UnservedSqlite {
  readonly path: string;
  readonly clients: number;
  readonly exchanges: number;
}

/**
 * After a switch to PostgreSQL, the rows still in the old SQLite file are invisible to the API.
 * Without a word about them, an operator who set DATABASE_URL before copying sees an empty CRM
 * and believes the data is lost. This finds such files where the server would have looked:
 * SQLITE_PATH, the disk's crm.db when the disk is mounted, and ./data/crm.db.
 */
export function findUnservedSqlite(config: Config, target: StorageTarget, probe: MountProbe, cwd = process.cwd()): UnservedSqlite[] {
  if (target.driver !== 'postgres') return [];
  const candidates = new Set<string>();
  if (config.database.sqlitePath) candidates.add(path.resolve(cwd, config.database.sqlitePath));
  const disk = config.database.persistentDiskPath;
  if (disk && probe.isMountPoint(disk)) candidates.add(path.resolve(disk, DISK_DATABASE_FILE));
  candidates.add(path.resolve(cwd, LOCAL_SQLITE_PATH));
  const found: UnservedSqlite[] = [];
  for (const file of candidates) {
    const counts = countCrmRows(file);
    if (counts && counts.clients + counts.exchanges > 0) found.push({ path: file, ...counts });
  }
  return found;
}

/** What to tell the operator: the rows are there, not served, and the command that moves them. */
export function unservedSqliteAdvice(found: UnservedSqlite): string {
  return (
    `The SQLite database ${found.path} holds ${found.clients} client(s) and ${found.exchanges} exchange(s) that are NOT being served: ` +
    'DATABASE_URL is set, so the API reads PostgreSQL. Nothing is lost. To move them (freeze writes with READ_ONLY=true first): ' +
    `node dist/src/cli/crm.js db copy --from ${shellQuote(found.path)} --to "$DATABASE_URL" ` +
    '(it verifies every table; add --truncate if PostgreSQL already holds rows to replace). ' +
    'If they were already copied, keep the file for rollback; see docs/switch-to-postgres.md.'
  );
}

/** Start-up: one warning per unserved SQLite database; never fatal (it is advice). */
export function logUnservedSqlite(config: Config, target: StorageTarget, probe: MountProbe, logger: Logger): void {
  try {
    for (const found of findUnservedSqlite(config, target, probe)) logger.warn({ unservedSqlite: found }, unservedSqliteAdvice(found));
  } catch (error) {
    logger.debug({ err: error }, 'switch guard: could not look for a SQLite database');
  }
}

/** Row counts of a CRM SQLite file, or null when there is none (or it is not a CRM database). */
function countCrmRows(file: string): { clients: number; exchanges: number } | null {
  if (!fs.existsSync(file)) return null;
  let db: Sqlite.Database | undefined;
  try {
    // Read-only and query-only: the guard must never create, migrate or lock-and-write a file.
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const count = (table: string) => {
      const exists = db?.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
      return exists ? (db?.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0;
    };
    return { clients: count('clients'), exchanges: count('exchanges') };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
