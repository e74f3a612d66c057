#!/usr/bin/env node
import { Command } from 'commander';
import { StorageRefusedError } from '../storage/resolve-storage';
import { EXIT, UsageError } from './cli-support';
import { registerDbCommand } from './commands/db.command';
import { registerDoctorCommand } from './commands/doctor.command';
import { registerExportCommand } from './commands/export.command';
import { registerImportCommand } from './commands/import.command';
import { registerMigrateCommand } from './commands/migrate.command';
import { registerSeedCommand } from './commands/seed.command';
import { registerServeCommand } from './commands/serve.command';

/** One line per command module: each file under commands/ registers itself here. */
const COMMANDS: Array<(program: Command) => void> = [
  registerServeCommand,
  registerMigrateCommand,
  registerDoctorCommand,
  registerSeedCommand,
  registerExportCommand,
  registerImportCommand,
  registerDbCommand,
];

export function buildProgram(): Command {
  const program = new Command('crm').description('CRM backend: server and operator commands').exitOverride();
  for (const register of COMMANDS) register(program);
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
