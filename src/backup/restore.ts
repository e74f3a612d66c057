import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from '../db/open-database';
import { exportDatabase } from '../transfer/export';
import type { RecordCounts } from '../transfer/format';
import { importDatabase } from '../transfer/import';
import { openExportTarget, readExportLines } from '../transfer/ndjson-files';
import { backupFileName, syncFile } from './backup-files';
import { checkExportFile } from './export-backup';
import { processesUsing } from './file-users';

/** The copy did not pass its check: nothing was replaced. */
export class RestoreCheckError extends Error {}

/** The target holds data (or a server uses it) and the restore was not forced: nothing was replaced. */
export class RestoreRefusedError extends Error {}

const MIGRATIONS_TABLE = 'crm_migrations';

/** A SQLite backup is whole, sound, and a CRM database (it has the tables and their migrations). */
export function checkSqliteCopy(file: string): RecordCounts {
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const problems = (db.pragma('integrity_check') as Array<{ integrity_check: string }>)
      .map((row) => row.integrity_check)
      .filter((line) => line !== 'ok');
    if (problems.length > 0) throw new RestoreCheckError(`${file} fails PRAGMA integrity_check: ${problems.slice(0, 5).join('; ')}`);
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name),
    );
    for (const table of [MIGRATIONS_TABLE, 'clients', 'exchanges']) {
      if (!tables.has(table)) throw new RestoreCheckError(`${file} is not a CRM database: it has no ${table} table`);
    }
    return sqliteCounts(db);
  } catch (error) {
    if (error instanceof RestoreCheckError) throw error;
    throw new RestoreCheckError(`${file} is not a readable SQLite database: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    db?.close();
  }
}

interface SqliteRestore {
  /** The checked copy, already beside the target (same file system, so the rename is atomic). */
  readonly staged: string;
  readonly target: string;
  readonly force: boolean;
  readonly clock?: () => Date;
}

/**
 * Puts a checked copy in place of a SQLite database. The old file stays beside it as
 * `<name>.replaced-<stamp>` (with its -wal, which belongs to it and must never meet the new
 * file); the new one replaces it in one rename. A process that holds the file open (the server)
 * makes it refuse even with force: it would go on writing into the replaced file.
 */
export async function swapSqliteFile(restore: SqliteRestore): Promise<{ replaced: string | null; counts: RecordCounts }> {
  const { staged, target } = restore;
  const counts = checkSqliteCopy(staged);
  const users = processesUsing(target);
  if (users && users.length > 0) {
    throw new RestoreRefusedError(`${target} is open in process ${users.join(', ')} (a running server?): stop it first, then restore`);
  }
  const held = fs.existsSync(target) ? targetCounts(target) : null;
  if (held && !restore.force) {
    throw new RestoreRefusedError(
      `${target} ${held === 'unreadable' ? 'is not readable as a CRM database' : `holds ${describe(held)}`}; pass --force to replace it (it is kept beside as .replaced-<time>)`,
    );
  }
  await syncFile(staged);
  let replaced: string | null = null;
  if (fs.existsSync(target)) {
    replaced = `${target}.replaced-${backupFileName((restore.clock ?? (() => new Date()))()).slice(4, -3)}`;
    // A hard link keeps the old file under its new name while the target name is replaced in one step.
    fs.linkSync(target, replaced);
    for (const suffix of ['-wal', '-shm']) if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, replaced + suffix);
  }
  fs.renameSync(staged, target);
  syncDirectory(path.dirname(target));
  return { replaced, counts };
}

interface ExportRestore {
  readonly database: Pick<Database, 'knex' | 'sql' | 'dialect' | 'tools' | 'target' | 'migrator'>;
  readonly file: string;
  readonly force: boolean;
  /** With force, the rows being replaced are exported here first. */
  readonly keepDir: string;
  readonly clock?: () => Date;
}

/**
 * Loads an export into a database (PostgreSQL, or SQLite): checked first, then imported in one
 * transaction that empties the tables with force, so the target ends with the whole file or as
 * it was. The rows it replaces are exported beside the backups first.
 */
export async function restoreExport(restore: ExportRestore): Promise<{ replaced: string | null; counts: RecordCounts }> {
  const { database } = restore;
  await checkExportFile(restore.file).catch((error: unknown) => {
    throw new RestoreCheckError(error instanceof Error ? error.message : String(error));
  });
  await database.migrator.up();
  const held = await databaseCounts(database);
  let replaced: string | null = null;
  if (held.clients + held.exchanges > 0) {
    if (!restore.force) throw new RestoreRefusedError(`the target database holds ${describe(held)}; pass --force to replace them`);
    fs.mkdirSync(restore.keepDir, { recursive: true });
    replaced = path.join(restore.keepDir, `replaced-${backupFileName((restore.clock ?? (() => new Date()))(), 'export')}`);
    const out = openExportTarget(replaced, true);
    await exportDatabase(database, out.streams).catch(async (error: unknown) => {
      await out.abandon();
      throw error;
    });
    await out.commit();
  }
  const counts = await importDatabase(database, readExportLines(restore.file), { truncate: restore.force });
  return { replaced, counts };
}

function sqliteCounts(db: Sqlite.Database): RecordCounts {
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { clients: count('clients'), exchanges: count('exchanges') };
}

/** Null for an empty target: no file content, or no CRM rows. */
function targetCounts(file: string): RecordCounts | 'unreadable' | null {
  if (fs.statSync(file).size === 0) return null;
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('clients', 'exchanges')").all();
    if (tables.length < 2) return null;
    const counts = sqliteCounts(db);
    return counts.clients + counts.exchanges > 0 ? counts : null;
  } catch {
    return 'unreadable';
  } finally {
    db?.close();
  }
}

async function databaseCounts(database: Pick<Database, 'knex'>): Promise<RecordCounts> {
  const count = async (table: string) => Number((await database.knex(table).count({ n: '*' }))[0]?.n ?? 0);
  return { clients: await count('clients'), exchanges: await count('exchanges') };
}

function describe(counts: RecordCounts): string {
  return `${counts.clients} clients and ${counts.exchanges} exchanges`;
}

/** The renames are durable only once the folder's entry list is. */
function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
