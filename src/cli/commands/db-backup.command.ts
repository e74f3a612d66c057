import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { listLocalBackups } from '../../backup/backup-files';
import { backupPlan, type BackupPlan } from '../../backup/backup-plan';
import { messageOf, recordOutcome, takeBackup, type BackupSource } from '../../backup/backup-run';
import { RestoreCheckError, RestoreRefusedError, restoreExport, swapSqliteFile } from '../../backup/restore';
import { openS3Store, parseS3Url, S3StoreError, type RemoteBackupStore } from '../../backup/s3-store';
import { BackupIntegrityError } from '../../backup/sqlite-backup';
import type { Config } from '../../config/config';
import { openDatabase } from '../../db/open-database';
import { createMountProbe } from '../../storage/mount-probe';
import { resolveStorage } from '../../storage/resolve-storage';
import type { StorageTarget } from '../../storage/storage-target';
import { EXIT, loadCliConfig, out, UsageError, wholeNumber } from '../cli-support';

export function registerBackupCommands(db: Command): void {
  db.command('backup')
    .description('back up now (SQLite: online copy + integrity_check; PostgreSQL: gzip export), and upload it when BACKUP_S3_BUCKET is set')
    .option('--out <dir>', 'folder for the backups (default: BACKUP_DIR, or backups/ beside the database)')
    .option('--keep <n>', 'how many backups to keep, here and in the bucket (default: BACKUP_KEEP)')
    .option('--no-upload', 'keep this backup on the disk only')
    .option('--list', 'list the local and remote backups, newest first; make none')
    .action(runBackup);
  db.command('restore')
    .description('check a backup, then put it in place of the database (the replaced data is kept)')
    .requiredOption('--from <backup>', 'a backup file (.db or .ndjson.gz) or s3://bucket/key')
    .option('--force', 'replace a database that holds data')
    .action(runRestore);
}

interface BackupOptions {
  out?: string;
  keep?: string;
  upload: boolean;
  list?: boolean;
}

function configured(overrides: { out?: string; keep?: string } = {}): { config: Config; target: StorageTarget; plan: BackupPlan } {
  const config = loadCliConfig();
  const target = resolveStorage(config, { probe: createMountProbe() });
  const plan = backupPlan(config, target);
  const keep = overrides.keep === undefined ? plan.keep : wholeNumber(overrides.keep, '--keep');
  return { config, target, plan: { ...plan, keep, dir: overrides.out ? path.resolve(overrides.out) : plan.dir } };
}

async function runBackup(options: BackupOptions): Promise<void> {
  const { config, target, plan } = configured(options);
  if (options.list) return listBackups(plan);
  const store = options.upload && plan.s3 ? await openS3Store(plan.s3) : null;
  const database = target.driver === 'postgres' ? openDatabase(target, config.database) : null;
  try {
    if (database && (await database.migrator.status()).pending.length > 0) {
      throw new UsageError('the database has pending migrations; run "crm migrate up" first');
    }
    const source: BackupSource = database ? { kind: 'export', database } : { kind: 'sqlite', path: (target as { path: string }).path };
    const outcome = await takeBackup(plan, source, store);
    // A backup into a folder of the moment (--out) is not part of the series /health and doctor follow.
    if (!options.out) recordOutcome(plan, outcome);
    out(
      `Backup: ${outcome.local.file} (${mebibytes(outcome.local.bytes)}), ${plan.kind === 'sqlite' ? 'integrity_check' : 'read back'} ok.`,
    );
    for (const removed of outcome.local.removed) out(`Removed old backup: ${removed}`);
    if (outcome.remote) out(`Uploaded: ${outcome.remote.url}`);
    for (const removed of outcome.removedRemote) out(`Removed old copy: ${removed.url}`);
    if (outcome.uploadError) process.stderr.write(`crm db backup: ${outcome.uploadError}\n`);
    process.exitCode = outcome.uploadError ? EXIT.failed : EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!options.out) recordOutcome(plan, { error });
    process.stderr.write(`crm db backup: ${error instanceof BackupIntegrityError ? '' : 'failed: '}${messageOf(error)}\n`);
    process.exitCode = EXIT.failed;
  } finally {
    store?.close();
    await database?.close();
  }
}

async function listBackups(plan: BackupPlan): Promise<void> {
  const local = listLocalBackups(plan.dir);
  out(`Local (${plan.dir}): ${local.length === 0 ? 'none' : ''}`);
  for (const backup of local) out(`  ${backup.at.toISOString()}  ${mebibytes(backup.bytes).padStart(12)}  ${backup.file}`);
  process.exitCode = EXIT.ok;
  if (!plan.s3) return out('Remote: none (BACKUP_S3_BUCKET is not set)');
  const store = await openS3Store(plan.s3);
  try {
    const remote = await store.list();
    out(`Remote (${store.location}): ${remote.length === 0 ? 'none' : ''}`);
    for (const copy of remote) out(`  ${copy.at.toISOString()}  ${mebibytes(copy.bytes).padStart(12)}  ${copy.url}`);
  } catch (error) {
    process.stderr.write(`crm db backup --list: cannot list ${store.location}: ${messageOf(error)}\n`);
    process.exitCode = EXIT.failed;
  } finally {
    store.close();
  }
}

async function runRestore(options: { from: string; force?: boolean }): Promise<void> {
  const { config, target, plan } = configured();
  const remote = options.from.startsWith('s3://');
  if (!remote && !fs.existsSync(options.from)) throw new UsageError(`no backup at ${options.from}`);
  const store = remote ? await openS3Store({ ...config.backup.s3, bucket: parseS3Url(options.from).bucket }) : null;
  // The copy is checked where it will live: beside the SQLite file, so the final rename is atomic.
  const stagingDir = target.driver === 'sqlite' ? path.dirname(target.path) : plan.dir;
  fs.mkdirSync(stagingDir, { recursive: true });
  const staged = path.join(stagingDir, `.restoring-${process.pid}-${path.basename(options.from)}`);
  try {
    await fetchCopy(options.from, staged, store);
    const kind = isSqliteFile(staged) ? 'sqlite' : 'export';
    if (kind === 'sqlite' && target.driver === 'postgres') {
      throw new UsageError(
        `${options.from} is a SQLite backup: load it into PostgreSQL with crm db copy --from <file> --to "$DATABASE_URL" --truncate`,
      );
    }
    const done =
      kind === 'sqlite' && target.driver === 'sqlite'
        ? await swapSqliteFile({ staged, target: target.path, force: options.force === true })
        : await restoreInto(target, config, staged, plan.dir, options.force === true);
    out(`Restored ${done.counts.clients} clients and ${done.counts.exchanges} exchanges from ${options.from} into ${target.location}.`);
    if (done.replaced) out(`The replaced data is kept in ${done.replaced}.`);
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const known = error instanceof RestoreCheckError || error instanceof RestoreRefusedError || error instanceof S3StoreError;
    const why =
      error instanceof RestoreCheckError ? 'the backup failed its check: ' : error instanceof RestoreRefusedError ? 'refused: ' : '';
    process.stderr.write(`crm db restore: ${why}${known ? error.message : `failed: ${messageOf(error)}`}\nNothing was replaced.\n`);
    process.exitCode = EXIT.failed;
  } finally {
    fs.rmSync(staged, { force: true });
    store?.close();
  }
}

async function restoreInto(target: StorageTarget, config: Config, file: string, keepDir: string, force: boolean) {
  const database = openDatabase(target, config.database);
  try {
    return await restoreExport({ database, file, force, keepDir });
  } finally {
    await database.close();
  }
}

async function fetchCopy(from: string, staged: string, store: RemoteBackupStore | null): Promise<void> {
  if (store) await store.download(from, staged);
  else await fs.promises.copyFile(from, staged);
}

const SQLITE_MAGIC = 'SQLite format 3\0';

function isSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length);
    fs.readSync(fd, head, 0, head.length, 0);
    return head.toString('latin1') === SQLITE_MAGIC;
  } finally {
    fs.closeSync(fd);
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
