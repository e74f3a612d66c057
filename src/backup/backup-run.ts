import type { Database } from '../db/open-database';
import type { BackupPlan } from './backup-plan';
import { readBackupState, writeBackupState, type BackupState } from './backup-status';
import { backupByExport } from './export-backup';
import type { RemoteBackupStore, RemoteCopy } from './s3-store';
import { backupSqlite, type BackupResult } from './sqlite-backup';

/** What a backup is taken of: the SQLite file, or a database read through an export snapshot. */
export type BackupSource =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'export'; readonly database: Pick<Database, 'knex' | 'dialect' | 'tools' | 'target'> };

export interface BackupOutcome {
  readonly local: BackupResult;
  /** The uploaded copy; null without a bucket or when the upload failed. */
  readonly remote: RemoteCopy | null;
  readonly removedRemote: readonly RemoteCopy[];
  /** "backup failed: upload ..." when the copy did not leave the disk; the local one is kept. */
  readonly uploadError: string | null;
}

interface TakeBackupOptions {
  readonly signal?: AbortSignal;
  readonly clock?: () => Date;
}

/**
 * One backup: the local copy (checked, renamed into place, old ones pruned), then its upload
 * and the same retention in the bucket. A failed local copy throws; a failed upload is part of
 * the outcome, because the local copy is good and stays.
 */
export async function takeBackup(
  plan: BackupPlan,
  source: BackupSource,
  store: RemoteBackupStore | null,
  options: TakeBackupOptions = {},
): Promise<BackupOutcome> {
  const local =
    source.kind === 'sqlite'
      ? await backupSqlite({ databasePath: source.path, outDir: plan.dir, keep: plan.keep, ...options })
      : await backupByExport(source.database, plan.dir, { keep: plan.keep, ...options });
  if (!store) return { local, remote: null, removedRemote: [], uploadError: null };
  let stage = `upload to ${store.location}`;
  try {
    const remote = await store.upload(local.file, options.signal);
    stage = `removing old copies from ${store.location}`;
    const removedRemote = (await store.list()).slice(plan.keep);
    await store.remove(removedRemote);
    return { local, remote, removedRemote, uploadError: null };
  } catch (error) {
    const uploaded = stage.startsWith('removing');
    const kept = uploaded ? '' : `; the local copy ${local.file} is kept`;
    return { local, remote: null, removedRemote: [], uploadError: `backup failed: ${stage}: ${messageOf(error)}${kept}` };
  }
}

/** The state after a backup: the newest good copy, and the upload's failure if any. */
export function stateAfter(outcome: BackupOutcome): BackupState {
  return {
    last: { at: outcome.local.startedAt.toISOString(), local: outcome.local.file, remote: outcome.remote?.url ?? null },
    error: outcome.uploadError,
  };
}

/** The state after a failed backup: the previous good copy is still the newest one. */
export function stateAfterFailure(previous: BackupState, error: unknown): BackupState {
  return { last: previous.last, error: `backup failed: ${messageOf(error)}` };
}

/** Records the outcome beside the backups, for the next start-up and for `crm doctor`. */
export function recordOutcome(plan: BackupPlan, outcome: BackupOutcome | { error: unknown }): BackupState {
  const state = 'error' in outcome ? stateAfterFailure(readBackupState(plan.dir), outcome.error) : stateAfter(outcome);
  writeBackupState(plan.dir, state);
  return state;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
