import fs from 'node:fs';
import path from 'node:path';
import type { BackupReport } from '../services/backup-report';
import { OVERDUE_INTERVALS } from '../services/backup-report';
import type { BackupPlan } from './backup-plan';

/**
 * The outcome of the latest backups, kept in a small file beside them so that it survives a
 * restart and `crm doctor` (another process) can read it.
 */
export interface BackupState {
  /** The newest good backup: started at, local file, s3:// address once uploaded. */
  readonly last: { readonly at: string; readonly local: string | null; readonly remote: string | null } | null;
  /** The latest failure ("backup failed ..."), cleared by the next success. */
  readonly error: string | null;
}

export const STATE_FILE = 'last-backup.json';
const EMPTY: BackupState = { last: null, error: null };

export function readBackupState(dir: string): BackupState {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8')) as Partial<BackupState>;
    return { last: parsed.last ?? null, error: parsed.error ?? null };
  } catch {
    return EMPTY;
  }
}

/** Written beside and renamed over, like the backups: a reader never sees half a file. */
export function writeBackupState(dir: string, state: BackupState): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, STATE_FILE);
  fs.writeFileSync(`${file}.partial`, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(`${file}.partial`, file);
}

interface ReportContext {
  readonly now: Date;
  /** Before the first backup, "overdue" counts from here. */
  readonly since: Date;
  readonly nextAt: Date | null;
  readonly running: boolean;
}

export function backupReport(plan: BackupPlan, state: BackupState, context: ReportContext): BackupReport {
  const lastAt = state.last ? new Date(state.last.at) : null;
  const ageSeconds = lastAt ? Math.max(0, Math.round((context.now.getTime() - lastAt.getTime()) / 1000)) : null;
  const intervalSeconds = Math.round(plan.intervalMs / 1000);
  const sinceSeconds = (context.now.getTime() - (lastAt ?? context.since).getTime()) / 1000;
  const overdue = intervalSeconds > 0 && sinceSeconds > OVERDUE_INTERVALS * intervalSeconds;
  return {
    ok: state.error === null && !overdue,
    lastAt: lastAt?.toISOString() ?? null,
    ageSeconds,
    location: state.last?.remote ?? state.last?.local ?? null,
    local: state.last?.local ?? null,
    remote: state.last?.remote ?? null,
    intervalSeconds,
    keep: plan.keep,
    nextAt: context.nextAt?.toISOString() ?? null,
    running: context.running,
    overdue,
    error: state.error,
  };
}
