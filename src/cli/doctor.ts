import { checkBackups, formatBackupLine } from '../backup/backup-doctor';
import type { Config } from '../config/config';
import { openDatabase } from '../db/open-database';
import type { MountProbe } from '../storage/mount-probe';
import { resolveStorage, StorageRefusedError } from '../storage/resolve-storage';
import type { StorageTarget } from '../storage/storage-target';
import type { BackupReport } from '../services/backup-report';
import { findUnservedSqlite, unservedSqliteAdvice } from '../storage/switch-guard';
import { formatTrashLine, readTrash, trashAdvice, type TrashReport } from './trash-doctor';

export interface DoctorReport {
  ok: boolean;
  storage: Pick<StorageTarget, 'driver' | 'location' | 'persistent' | 'reason'> | null;
  why: string;
  migrations: { applied: string[]; pending: string[] } | null;
  sizeBytes: number | null;
  integrity: string[] | null;
  /** As /health reports it; null when backups are off. */
  backup: BackupReport | null;
  /** Its size and oldest record; null when the database cannot say (unreachable, migrations pending). */
  trash: TrashReport | null;
  problems: string[];
  advice: string[];
}

const REASONS: Record<StorageTarget['reason'], string> = {
  'database-url': 'DATABASE_URL is set, so PostgreSQL is used',
  'sqlite-path': 'SQLITE_PATH is set, so that SQLite file is used',
  'persistent-disk': 'a writable disk is mounted at PERSISTENT_DISK_PATH, so the database lives on it',
  'local-fallback': 'no DATABASE_URL, no SQLITE_PATH and no mounted disk, so a local file is used',
};

/** Everything an operator needs to know about where the data lives and whether it is safe. */
export async function runDoctor(config: Config, probe: MountProbe): Promise<DoctorReport> {
  const report: DoctorReport = {
    ok: true,
    storage: null,
    why: '',
    migrations: null,
    sizeBytes: null,
    integrity: null,
    backup: null,
    trash: null,
    problems: [],
    advice: [],
  };
  let target: StorageTarget;
  try {
    target = resolveStorage(config, { probe });
  } catch (error) {
    if (!(error instanceof StorageRefusedError)) throw error;
    report.ok = false;
    report.problems.push(error.message);
    return report;
  }
  report.storage = { driver: target.driver, location: target.location, persistent: target.persistent, reason: target.reason };
  report.why = REASONS[target.reason];
  for (const found of findUnservedSqlite(config, target, probe)) report.advice.push(unservedSqliteAdvice(found));
  if (!target.persistent) {
    report.advice.push(
      `The database is not on a persistent disk: a redeploy on Render would wipe it. Attach a disk at ${config.database.persistentDiskPath} or set DATABASE_URL.`,
    );
    if (config.platform.render) report.problems.push('Running on Render without persistent storage.');
  }
  const backups = checkBackups(config, target);
  report.backup = backups.report;
  report.problems.push(...backups.problems);
  report.advice.push(...backups.advice);

  const database = openDatabase(target, config.database);
  try {
    await database.ping(5000);
    report.migrations = await database.migrator.status();
    if (report.migrations.pending.length > 0) {
      report.problems.push(`${report.migrations.pending.length} migration(s) pending.`);
      report.advice.push('Run `crm migrate up` (or start the server with MIGRATE_ON_START=true).');
    }
    // Before its migration the trash does not exist yet; the pending migration is the problem then.
    if (report.migrations.pending.length === 0) {
      report.trash = await readTrash(database, config.trash.retentionDays);
      const advice = trashAdvice(report.trash);
      if (advice) report.advice.push(advice);
    }
    report.sizeBytes = await database.tools.databaseSize(database.knex);
    report.integrity = await database.tools.integrityCheck(database.knex);
    if (report.integrity.length > 0) {
      report.problems.push(`Integrity check failed: ${report.integrity.slice(0, 5).join('; ')}`);
      report.advice.push(
        'Restore the latest backup (`crm db backup --list`, then `crm db restore --from <backup>`) before writing more data.',
      );
    }
  } catch {
    report.problems.push(`The database at ${target.location} does not answer.`);
    report.advice.push('Check that the database server is running and that DATABASE_URL is right.');
  } finally {
    await database.close().catch(() => undefined);
  }
  report.ok = report.problems.length === 0;
  return report;
}

export function formatDoctorReport(report: DoctorReport): string[] {
  const lines: string[] = [];
  if (report.storage) {
    lines.push(`Storage:     ${report.storage.driver} at ${report.storage.location}`);
    lines.push(`Why:         ${report.why}`);
    lines.push(`Persistent:  ${report.storage.persistent ? 'yes' : 'NO'}`);
  }
  if (report.migrations) {
    lines.push(`Migrations:  ${report.migrations.applied.length} applied, ${report.migrations.pending.length} pending`);
  }
  if (report.sizeBytes !== null) lines.push(`Size:        ${(report.sizeBytes / 1024 / 1024).toFixed(2)} MiB`);
  if (report.integrity !== null) lines.push(`Integrity:   ${report.integrity.length === 0 ? 'ok' : 'FAILED'}`);
  if (report.trash !== null) lines.push(formatTrashLine(report.trash));
  if (report.storage) lines.push(formatBackupLine(report.backup));
  for (const problem of report.problems) lines.push(`✗ ${problem}`);
  for (const advice of report.advice) lines.push(`→ ${advice}`);
  lines.push(report.ok ? '✓ All checks passed.' : '✗ Some checks failed.');
  return lines;
}
