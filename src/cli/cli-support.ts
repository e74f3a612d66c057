import type { Config } from '../config/config';
import { ConfigError, loadConfig } from '../config/load-config';
import { openDatabase, type Database } from '../db/open-database';
import { configurePhoneRegion } from '../domain/duplicate-keys';
import { createMountProbe } from '../storage/mount-probe';
import { resolveStorage } from '../storage/resolve-storage';

/** Exit codes: 0 success, 1 the work failed or found problems, 2 usage or configuration error. */
/** brokenPipe: 128 + SIGPIPE, what a shell reports for a command whose reader went away. */
export const EXIT = { ok: 0, failed: 1, usage: 2, brokenPipe: 141 } as const;

/** A mistake in how the command was called: reported on one line, exit code 2. */
export class UsageError extends Error {}

/** A flag's value that must be a whole number of at least 1. */
export function wholeNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1`);
  return n;
}

export function out(line: string): void {
  process.stdout.write(line + '\n');
}

export function loadCliConfig(): Config {
  try {
    const config = loadConfig();
    // Every command that writes clients (seed, import, migrate) computes phone keys in this region.
    configurePhoneRegion(config.phone.defaultRegion);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Opens the database the server would use, for the length of `work`. */
export async function withConfiguredDatabase<T>(work: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadCliConfig();
  const database = openDatabase(resolveStorage(config, { probe: createMountProbe() }), config.database);
  try {
    return await work(database, config);
  } finally {
    await database.close();
  }
}
