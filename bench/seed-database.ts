import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempSeed } from './temp-seed';

export const ROOT = path.resolve(__dirname, '..');
const CRM = path.join(ROOT, 'dist/src/cli/crm.js');
const SEED_COMMAND = path.join(ROOT, 'dist/src/cli/commands/seed.command.js');

export interface SeedOutcome {
  seconds: number;
  /** `crm seed` or the harness's temporary stand-in. */
  seeder: string;
}

/** Migrates and seeds the database deterministically through the built `crm` command. */
export async function seedDatabase(env: Record<string, string>, clients: number, exchanges: number, seed: number): Promise<SeedOutcome> {
  const started = process.hrtime.bigint();
  await runCrm(['migrate', 'up'], env);
  let seeder: string;
  if (fs.existsSync(SEED_COMMAND)) {
    const args = ['seed', '--clients', String(clients), '--exchanges', String(exchanges), '--seed', String(seed)];
    await runCrm(args, env);
    seeder = `crm ${args.join(' ')}`;
  } else {
    await tempSeed({ sqlitePath: env.SQLITE_PATH, databaseUrl: env.DATABASE_URL }, clients, exchanges, seed);
    seeder = 'bench/temp-seed.ts (crm seed not built yet)';
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, seeder };
}

function runCrm(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CRM, ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`crm ${args.join(' ')} exited with ${code}`))));
  });
}
