import fs from 'node:fs';
import path from 'node:path';
import { SQLITE_BUSY_TIMEOUT_MS } from '../db/connections/sqlite-connection';
import { backupFileName, pruneBackups, syncFile, type BackupKind } from './backup-files';
import { copyAndCheckInWorker } from './sqlite-copy-worker';

export interface BackupOptions {
  /** Default: a backups/ folder beside the database (on the disk, where the database is). */
  readonly outDir?: string;
  /** Backups kept after this one is made, the newest first. */
  readonly keep: number;
  readonly clock?: () => Date;
  /** Abandons the backup: its partial file is removed and nothing else changes. */
  readonly signal?: AbortSignal;
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly removed: readonly string[];
  readonly startedAt: Date;
}

/** The backup was made but its check rejected it; the file has been deleted. */
export class BackupIntegrityError extends Error {}

/**
 * SQLite's online backup API on a connection of our own (in a worker), while the server goes
 * on writing through its connections. All pages are copied in one step: in WAL mode that step
 * reads one snapshot and does not block writers, whereas the default small steps restart from
 * scratch each time another connection commits, and might never finish under a steady write load.
 */
export async function backupSqlite(options: BackupOptions & { readonly databasePath: string }): Promise<BackupResult> {
  if (!fs.existsSync(options.databasePath)) throw new Error(`no SQLite database at ${options.databasePath}`);
  const dir = options.outDir ?? path.join(path.dirname(options.databasePath), 'backups');
  return writeBackup(dir, 'sqlite', options, async (partial) => {
    const problems = await copyAndCheckInWorker({
      source: options.databasePath,
      destination: partial,
      busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
      signal: options.signal,
    });
    if (problems.length > 0) {
      throw new BackupIntegrityError(`the backup failed PRAGMA integrity_check (${problems.slice(0, 5).join('; ')}); it was deleted`);
    }
  });
}

/**
 * The frame every backup shares: a free name, the work on a temporary file beside it, then
 * sync and rename, so that a crash or an abandoned backup never leaves a file that looks
 * finished; finally the oldest backups beyond `keep` are removed.
 */
export async function writeBackup(
  dir: string,
  kind: BackupKind,
  options: BackupOptions,
  write: (partial: string) => Promise<void>,
): Promise<BackupResult> {
  fs.mkdirSync(dir, { recursive: true });
  const { name, at } = await freeName(dir, kind, options.clock ?? (() => new Date()));
  const file = path.join(dir, name);
  const partial = `${file}.partial`;
  try {
    await write(partial);
    await syncFile(partial);
  } catch (error) {
    // SQLite may have left its rollback journal beside the partial copy.
    for (const leftover of [partial, `${partial}-journal`]) await fs.promises.rm(leftover, { force: true });
    throw error;
  }
  await fs.promises.rename(partial, file);
  const { size } = await fs.promises.stat(file);
  return { file, bytes: size, removed: await pruneBackups(dir, options.keep), startedAt: at };
}

/** Names have a one-second resolution: a second backup within the same second waits for the next. */
async function freeName(dir: string, kind: BackupKind, clock: () => Date): Promise<{ name: string; at: Date }> {
  for (let attempt = 0; ; attempt++) {
    const at = clock();
    const name = backupFileName(at, kind);
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`))) return { name, at };
    if (attempt === 3) throw new Error(`a backup named ${name} already exists in ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  }
}
