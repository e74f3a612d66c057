import type { Command } from 'commander';
import { EXIT, out, UsageError, withConfiguredDatabase } from '../cli-support';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply (up), revert (down) or list (status) schema migrations')
    .argument('<direction>', 'up | down | status')
    .option('--step <n>', 'how many migrations down reverts', '1')
    .option('--all', 'down: revert every migration')
    .action(async (direction: string, options: { step: string; all?: boolean }) => {
      if (!['up', 'down', 'status'].includes(direction)) {
        throw new UsageError(`unknown direction "${direction}" (use up, down or status)`);
      }
      const steps = options.all ? Infinity : Number(options.step);
      if (steps !== Infinity && (!Number.isInteger(steps) || steps < 1))
        throw new UsageError('--step must be a whole number of at least 1');
      process.exitCode = await withConfiguredDatabase(async ({ migrator, target }) => {
        if (direction === 'up') {
          const applied = await migrator.up();
          out(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
        } else if (direction === 'down') {
          const reverted = await migrator.down(steps);
          out(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to revert.');
        } else {
          const status = await migrator.status();
          out(`Database: ${target.driver} at ${target.location}`);
          for (const name of status.applied) out(`  applied  ${name}`);
          for (const name of status.pending) out(`  pending  ${name}`);
          return status.pending.length > 0 ? EXIT.failed : EXIT.ok;
        }
        return EXIT.ok;
      });
    });
}
