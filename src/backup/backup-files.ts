import fs from 'node:fs';
import path from 'node:path';

/** A SQLite copy (.db) or a gzip NDJSON export (.ndjson.gz, PostgreSQL), named by its UTC start. */
export type BackupKind = 'sqlite' | 'export';

const EXTENSION: Record<BackupKind, string> = { sqlite: '.db', export: '.ndjson.gz' };
const BACKUP_NAME = /^crm-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(db|ndjson\.gz)$/;

export interface LocalBackup {
  readonly name: string;
  readonly file: string;
  readonly bytes: number;
  readonly at: Date;
}

/** crm-YYYYMMDDTHHMMSSZ.db: UTC, so names sort in time order on any machine and in any bucket. */
export function backupFileName(at: Date, kind: BackupKind = 'sqlite'): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `crm-${stamp}${EXTENSION[kind]}`;
}

/** When the backup of that name was started; null for any other name (never ours to touch). */
export function backupTime(name: string): Date | null {
  const parts = BACKUP_NAME.exec(name);
  if (!parts) return null;
  const [, y, mo, d, h, mi, s] = parts;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

export function backupKind(name: string): BackupKind {
  return name.endsWith(EXTENSION.export) ? 'export' : 'sqlite';
}

/** The backups of `dir`, newest first; other files are ignored. */
export function listLocalBackups(dir: string): LocalBackup[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => backupTime(name) !== null)
    .sort()
    .reverse()
    .map((name) => {
      const file = path.join(dir, name);
      return { name, file, bytes: fs.statSync(file).size, at: backupTime(name) as Date };
    });
}

/**
 * Deletes the oldest backups of `dir` beyond the newest `keep`; other files are never touched.
 * Asynchronous: unlinking a file of hundreds of megabytes held the event loop for 180 ms.
 */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const removed = listLocalBackups(dir).slice(keep);
  for (const backup of removed) await fs.promises.rm(backup.file, { force: true });
  return removed.map((backup) => backup.file);
}

/** Makes a finished file durable before it is renamed into place: a crash never leaves an empty "backup". */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
