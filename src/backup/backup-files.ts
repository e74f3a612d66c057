import fs from 'node:fs';
import path from 'node:path';

const BACKUP_NAME = /^crm-\d{8}T\d{6}Z\.db$/;

/** crm-YYYYMMDDTHHMMSSZ.db: UTC, so names sort in time order on any machine. */
export function backupFileName(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `crm-${stamp}.db`;
}

/** Deletes the oldest backups of `dir` beyond the newest `keep`; other files are never touched. */
export function pruneBackups(dir: string, keep: number): string[] {
  const backups = fs
    .readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse();
  const removed = backups.slice(keep);
  for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
  return removed.map((name) => path.join(dir, name));
}
