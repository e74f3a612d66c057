/**
 * What /health and `crm doctor` say about backups. The schedule (src/backup) produces it; the
 * http layer and the services see only this shape.
 */
export interface BackupReport {
  /** The last attempt succeeded (including its upload, if any) and the newest backup is not overdue. */
  readonly ok: boolean;
  /** When the newest good backup was started (ISO 8601), null before the first one. */
  readonly lastAt: string | null;
  readonly ageSeconds: number | null;
  /** Where the newest good copy is: its s3:// address once uploaded, else the local file. */
  readonly location: string | null;
  readonly local: string | null;
  readonly remote: string | null;
  readonly intervalSeconds: number;
  readonly keep: number;
  readonly nextAt: string | null;
  readonly running: boolean;
  /** No good backup for more than OVERDUE_INTERVALS intervals (counted from start-up before the first). */
  readonly overdue: boolean;
  /** The last failure, starting with "backup failed"; null once a later backup succeeds. */
  readonly error: string | null;
}

/** Null when backups are off. */
export interface BackupReporter {
  report(): BackupReport | null;
}

/** A backup older than this many intervals is a warning: one missed run is tolerated, two are not. */
export const OVERDUE_INTERVALS = 2;

/** The warnings /health lists. Their wording is stable: operators alert on "backup failed" and "backup overdue". */
export function backupWarnings(report: BackupReport | null): string[] {
  if (!report) return [];
  const warnings: string[] = [];
  if (report.error) warnings.push(report.error);
  if (report.overdue) {
    warnings.push(
      report.lastAt === null
        ? `backup overdue: no backup has been made yet (interval ${report.intervalSeconds}s)`
        : `backup overdue: the last backup was made ${report.ageSeconds}s ago (interval ${report.intervalSeconds}s)`,
    );
  }
  return warnings;
}
