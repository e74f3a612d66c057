import type { Command } from 'commander';
import { main as serve } from '../../main';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API')
    .action(async () => {
      await serve();
    });
}
