import path from 'node:path';
import type { Config } from '../config/config';
import type { StorageTarget } from '../storage/storage-target';
import type { S3Settings } from './s3-store';

/** What backups do for one configuration and one database, decided once. */
export interface BackupPlan {
  /** 0 when the schedule is off; `crm db backup` works either way. */
  readonly intervalMs: number;
  readonly keep: number;
  readonly dir: string;
  /** SQLite copies the file; PostgreSQL writes a gzip export. */
  readonly kind: 'sqlite' | 'export';
  readonly s3: S3Settings | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * BACKUP_INTERVAL unset means: daily where a backup has somewhere worth keeping it (the database
 * is on a persistent disk, or a bucket is configured), off otherwise; a copy written beside a
 * database that a redeploy wipes would be wiped with it.
 */
export function backupPlan(config: Config, target: StorageTarget, cwd = process.cwd()): BackupPlan {
  const { backup } = config;
  const s3 = backup.s3.bucket ? backup.s3 : null;
  const automatic = target.persistent && target.driver === 'sqlite' ? DAY_MS : s3 ? DAY_MS : 0;
  const defaultDir = target.driver === 'sqlite' ? path.join(path.dirname(target.path), 'backups') : path.join(cwd, 'data', 'backups');
  return {
    intervalMs: backup.interval ?? automatic,
    keep: backup.keep,
    dir: backup.dir ? path.resolve(cwd, backup.dir) : defaultDir,
    kind: target.driver === 'sqlite' ? 'sqlite' : 'export',
    s3,
  };
}
