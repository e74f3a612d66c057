import type { Config } from '../config/config';
import { formatDuration } from '../config/duration';
import type { BackupReport } from '../services/backup-report';
import { backupWarnings } from '../services/backup-report';
import type { StorageTarget } from '../storage/storage-target';
import { backupPlan } from './backup-plan';
import { backupReport, readBackupState } from './backup-status';

interface BackupCheck {
  readonly report: BackupReport | null;
  readonly problems: string[];
  readonly advice: string[];
}

/**
 * What `crm doctor` says about backups: the same report as /health, read from the state the
 * schedule (or `crm db backup`) leaves beside the backups, since doctor runs in its own process.
 */
export function checkBackups(config: Config, target: StorageTarget, now = new Date()): BackupCheck {
  const plan = backupPlan(config, target);
  if (plan.intervalMs === 0) {
    const advice =
      target.driver === 'postgres'
        ? 'Scheduled backups are off: set BACKUP_S3_BUCKET (daily by default) or BACKUP_INTERVAL, or rely on your provider’s database backups.'
        : 'Scheduled backups are off: set BACKUP_INTERVAL (e.g. 24h) and BACKUP_S3_BUCKET to keep copies off this machine.';
    return { report: null, problems: [], advice: [advice] };
  }
  const report = backupReport(plan, readBackupState(plan.dir), { now, since: now, nextAt: null, running: false });
  const advice: string[] = [];
  if (report.lastAt === null) {
    advice.push(
      `No backup yet in ${plan.dir}: the server takes one every ${formatDuration(plan.intervalMs)}; \`crm db backup\` takes one now.`,
    );
  }
  if (!plan.s3) advice.push('Backups stay on this machine: set BACKUP_S3_BUCKET to copy them off-site (docs/deploy.md).');
  return { report, problems: backupWarnings(report), advice };
}

export function formatBackupLine(report: BackupReport | null): string {
  if (!report) return 'Backup:      off';
  if (report.lastAt === null) return 'Backup:      none yet';
  return `Backup:      ${report.lastAt} (${report.ageSeconds}s ago) at ${report.location}, ${report.ok ? 'ok' : 'NOT OK'}`;
}
