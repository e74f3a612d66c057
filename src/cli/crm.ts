#!/usr/bin/env node
import { Command } from 'commander';
import type { Config } from '../config/config';
import { ConfigError, loadConfig } from '../config/load-config';
import { openDatabase } from '../db/open-database';
import { main as serve } from '../main';
import { createMountProbe } from '../storage/mount-probe';
import { resolveStorage, StorageRefusedError } from '../storage/resolve-storage';
import { formatDoctorReport, runDoctor } from './doctor';

/** Exit codes: 0 success, 1 the work failed or found problems, 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

function out(line: string): void {
  process.stdout.write(line + '\n');
}

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(EXIT.usage);
    }
    throw error;
  }
}

async function migrate(direction: string, options: { step?: string; all?: boolean }): Promise<number> {
  const config = configOrExit();
  const target = resolveStorage(config, { probe: createMountProbe() });
  const database = openDatabase(target, config.database);
  try {
    if (direction === 'up') {
      const applied = await database.migrator.up();
      out(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
    } else if (direction === 'down') {
      const steps = options.all ? Infinity : Number(options.step ?? 1);
      if (!Number.isInteger(steps) && steps !== Infinity) throw new UsageError('--step must be a whole number');
      const reverted = await database.migrator.down(steps);
      out(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to revert.');
    } else if (direction === 'status') {
      const status = await database.migrator.status();
      out(`Database: ${target.driver} at ${target.location}`);
      for (const name of status.applied) out(`  applied  ${name}`);
      for (const name of status.pending) out(`  pending  ${name}`);
      return status.pending.length > 0 ? EXIT.failed : EXIT.ok;
    } else {
      throw new UsageError(`unknown direction "${direction}" (use up, down or status)`);
    }
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

export function buildProgram(): Command {
  const program = new Command('crm').description('CRM backend: server and operator commands').exitOverride();
  program.command('serve').description('start the HTTP API').action(async () => {
    await serve();
  });
  program
    .command('migrate')
    .description('apply (up), revert (down) or list (status) schema migrations')
    .argument('<direction>', 'up | down | status')
    .option('--step <n>', 'how many migrations down reverts', '1')
    .option('--all', 'down: revert every migration')
    .action(async (direction: string, options: { step?: string; all?: boolean }) => {
      process.exitCode = await migrate(direction, options);
    });
  program
    .command('doctor')
    .description('where the data lives, whether it survives a redeploy, migrations, size, integrity')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctor(configOrExit(), createMountProbe());
      if (options.json) out(JSON.stringify(report, null, 2));
      else formatDoctorReport(report).forEach(out);
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });
  return program;
}

export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const commanderCode = (error as { code?: string }).code ?? '';
    if (commanderCode.startsWith('commander.')) {
      process.exitCode = commanderCode === 'commander.helpDisplayed' || commanderCode === 'commander.version' ? EXIT.ok : EXIT.usage;
    } else if (error instanceof UsageError) {
      process.stderr.write(`crm: ${error.message}\n`);
      process.exitCode = EXIT.usage;
    } else if (error instanceof StorageRefusedError) {
      process.stderr.write(error.message + '\n');
      process.exitCode = EXIT.failed;
    } else {
      process.stderr.write(`crm: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}

if (require.main === module) void run(process.argv);
