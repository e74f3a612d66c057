import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
const CRM = path.join(ROOT, 'dist/src/cli/crm.js');

interface SeedOutcome {
  seconds: number;
  /** The command line that seeded the database. */
  seeder: string;
}

/** Seeds the database deterministically through the built `crm seed` (which migrates first). */
export async function seedDatabase(env: Record<string, string>, clients: number, exchanges: number, seed: number): Promise<SeedOutcome> {
  const started = process.hrtime.bigint();
  const args = ['seed', '--clients', String(clients), '--exchanges', String(exchanges), '--seed', String(seed)];
  await runCrm(args, env);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, seeder: `crm ${args.join(' ')}` };
}

function runCrm(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CRM, ...args], {
      cwd: ROOT,
      // Only what crm needs: a stray DATABASE_URL in the shell must not pick the database.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`crm ${args.join(' ')} exited with ${code}`))));
  });
}
