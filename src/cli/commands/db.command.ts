import type { Command } from 'commander';
import { copyDatabase, CopyInterruptedError, verifyDatabases } from '../../db/copy/copy-database';
import type { CopyEndpoint } from '../../db/copy/copy-endpoint';
import { formatCopyReport, reportOk } from '../../db/copy/copy-report';
import { CopyRefusedError } from '../../db/copy/migration-state';
import { LocationError, openCopyEndpoint, parseLocation, sameDatabase } from '../../db/copy/open-endpoint';
import { EXIT, loadCliConfig, out, UsageError, wholeNumber } from '../cli-support';
import { createProgress, type Progress } from '../progress-lines';
import { registerBackupCommands } from './db-backup.command';

interface CopyCommandOptions {
  from: string;
  to: string;
  truncate?: boolean;
  dryRun?: boolean;
  verifyOnly?: boolean;
  batchSize: string;
}

export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('move and protect the data: copy between SQLite and PostgreSQL, back up and restore');
  db.command('copy')
    .description('copy every CRM row between databases (either direction) in one transaction, then verify counts and checksums')
    .requiredOption('--from <database>', 'source: a SQLite file path or a postgres:// URL')
    .requiredOption('--to <database>', 'target: a postgres:// URL or a SQLite file path (migrated if empty)')
    .option('--truncate', 'replace the rows the target already holds')
    .option('--dry-run', 'check both sides and count the rows; write nothing')
    .option('--verify-only', 'copy nothing: compare the two databases table by table')
    .option('--batch-size <n>', 'rows read and written per batch', '5000')
    .action(runCopy);
  registerBackupCommands(db);
}

async function runCopy(options: CopyCommandOptions): Promise<void> {
  const batchSize = wholeNumber(options.batchSize, '--batch-size');
  if (options.dryRun && options.verifyOnly) throw new UsageError('--dry-run and --verify-only do not go together');
  const config = loadCliConfig();
  const [from, to] = [location(options.from), location(options.to)];
  if (sameDatabase(from, to)) throw new UsageError('--from and --to name the same database');
  const secrets = [from, to].flatMap((target) => (target.driver === 'postgres' ? [new URL(target.url).password] : [])).filter(Boolean);

  const endpoints: CopyEndpoint[] = [];
  const abort = new AbortController();
  const onSigint = () => {
    process.stderr.write('\nInterrupted: rolling back the target…\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = phasedProgress();
  try {
    const source = openOrUsage(from, config, 'source', endpoints);
    const target = openOrUsage(to, config, 'target', endpoints);
    const common = { batchSize, onProgress: progress.update, signal: abort.signal };
    const report = options.verifyOnly
      ? await verifyDatabases(source, target, common)
      : await copyDatabase(source, target, { ...common, truncate: options.truncate, dryRun: options.dryRun });
    progress.finish();
    formatCopyReport(report).forEach(out);
    process.exitCode = reportOk(report) ? EXIT.ok : EXIT.failed;
  } catch (error) {
    progress.finish();
    if (error instanceof UsageError) throw error;
    const message = scrub(error instanceof Error ? error.message : String(error), secrets);
    if (error instanceof CopyRefusedError) process.stderr.write(`crm db copy: refused: ${message}\n`);
    else if (error instanceof CopyInterruptedError)
      process.stderr.write('crm db copy: interrupted; the target was rolled back and holds no copied rows\n');
    else process.stderr.write(`crm db copy: failed: ${message}\nNo copied row was committed to the target.\n`);
    process.exitCode = EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSigint);
    for (const endpoint of endpoints) await endpoint.close().catch(() => undefined);
  }
}

/** One progress line per phase (copying, then verifying), on stderr. */
function phasedProgress() {
  let current: { phase: string; bar: Progress } | null = null;
  return {
    update(phase: string, done: number, total: number) {
      if (current?.phase !== phase) {
        current?.bar.finish();
        current = { phase, bar: createProgress(phase, total) };
      }
      current.bar.update(done);
    },
    finish() {
      current?.bar.finish();
      current = null;
    },
  };
}

function location(spec: string) {
  try {
    return parseLocation(spec);
  } catch (error) {
    if (error instanceof LocationError) throw new UsageError(error.message);
    throw error;
  }
}

function openOrUsage(
  target: ReturnType<typeof location>,
  config: ReturnType<typeof loadCliConfig>,
  role: 'source' | 'target',
  opened: CopyEndpoint[],
): CopyEndpoint {
  try {
    const endpoint = openCopyEndpoint(target, config, role);
    opened.push(endpoint);
    return endpoint;
  } catch (error) {
    if (error instanceof LocationError) throw new UsageError(error.message);
    throw error;
  }
}

/** Driver messages may quote a connection string; a password never reaches the terminal. */
function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}
