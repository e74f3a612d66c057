import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from '../db/connections/sqlite-connection';
import { backupFileName, pruneBackups } from './backup-files';

interface BackupOptions {
  /** The live database file. */
  readonly databasePath: string;
  /** Default: a backups/ folder beside the database (on the disk, where the database is). */
  readonly outDir?: string;
  /** Backups kept after this one is made, the newest first. */
  readonly keep: number;
  readonly clock?: () => Date;
}

interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly removed: readonly string[];
}

/** The backup was made but PRAGMA integrity_check rejected it; the file has been deleted. */
export class BackupIntegrityError extends Error {}

/**
 * SQLite's online backup API on a connection of our own, while the server goes on writing
 * through its connections. All pages are copied in one step: in WAL mode that step reads one
 * snapshot and does not block writers, whereas the default small steps restart from scratch
 * each time another connection commits, and might never finish under a steady write load.
 */
export async function backupSqlite(options: BackupOptions): Promise<BackupResult> {
  if (!fs.existsSync(options.databasePath)) throw new Error(`no SQLite database at ${options.databasePath}`);
  const dir = options.outDir ?? path.join(path.dirname(options.databasePath), 'backups');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, await freeName(dir, options.clock ?? (() => new Date())));
  // Written under a temporary name: a crash mid-backup never leaves a file that looks finished.
  const partial = `${file}.partial`;
  const source = new Sqlite(options.databasePath, { fileMustExist: true });
  try {
    source.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  const problems = checkBackup(partial);
  if (problems.length > 0) {
    fs.rmSync(partial, { force: true });
    throw new BackupIntegrityError(`the backup failed PRAGMA integrity_check (${problems.slice(0, 5).join('; ')}); it was deleted`);
  }
  fs.renameSync(partial, file);
  return { file, bytes: fs.statSync(file).size, removed: pruneBackups(dir, options.keep) };
}

/** One self-contained file (rollback journal, no -wal beside it), then SQLite's own full check. */
function checkBackup(file: string): string[] {
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { fileMustExist: true });
    db.pragma('journal_mode = DELETE');
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((row) => row.integrity_check).filter((line) => line !== 'ok');
  } catch (error) {
    // SQLite may refuse a damaged file outright ("database disk image is malformed").
    return [error instanceof Error ? error.message : String(error)];
  } finally {
    db?.close();
  }
}

/** Names have a one-second resolution: a second backup within the same second waits for the next. */
async function freeName(dir: string, clock: () => Date): Promise<string> {
  let name = backupFileName(clock());
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`))) return name;
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    name = backupFileName(clock());
  }
  throw new Error(`a backup named ${name} already exists in ${dir}`);
}
