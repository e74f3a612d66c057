import type { Command } from 'commander';
import { createMountProbe } from '../../storage/mount-probe';
import { EXIT, loadCliConfig, out } from '../cli-support';
import { formatDoctorReport, runDoctor } from '../doctor';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('where the data lives, whether it survives a redeploy, migrations, size, integrity, trash')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctor(loadCliConfig(), createMountProbe());
      if (options.json) out(JSON.stringify(report, null, 2));
      else formatDoctorReport(report).forEach(out);
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });
}
