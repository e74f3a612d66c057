import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { loadConfig } from '../../src/config/load-config';
import type { Config } from '../../src/config/config';
import { openDatabase, type Database } from '../../src/db/open-database';
import type { StorageTarget } from '../../src/storage/storage-target';
import { redactDatabaseUrl } from '../../src/storage/storage-target';

export type Backend = 'sqlite' | 'postgres';

/** The backends this run covers: both unless TEST_BACKENDS narrows it (npm run test:pg). */
export function testBackends(): Backend[] {
  const wanted = (process.env.TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim());
  return (['sqlite', 'postgres'] as const).filter((b) => wanted.includes(b));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ env: { NODE_ENV: 'test', ...env } });
}

/** A fresh, empty database of the given kind: a new temp file, or a new PostgreSQL database. */
export interface ScratchDatabase {
  readonly backend: Backend;
  readonly target: StorageTarget;
  /** The environment that makes the app use this database (for child processes). */
  readonly env: Record<string, string>;
  open(config?: Config): Database;
  drop(): Promise<void>;
}

export async function createScratchDatabase(backend: Backend): Promise<ScratchDatabase> {
  if (backend === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
    const file = path.join(dir, 'crm.db');
    const target: StorageTarget = { driver: 'sqlite', path: file, location: file, persistent: false, reason: 'sqlite-path' };
    return {
      backend,
      target,
      env: { SQLITE_PATH: file },
      open: (config = testConfig()) => openDatabase(target, config.database),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set and no embedded PostgreSQL was started');
  const name = `crm_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Tests prove the password never leaks, so the URL always carries one: a trust-auth server
  // (CI's service) never asks for it, any other server gets the real one from the admin URL.
  if (!url.password) url.password = 'trust-auth-ignores-this-password';
  const target: StorageTarget = {
    driver: 'postgres',
    url: url.toString(),
    location: redactDatabaseUrl(url.toString()),
    persistent: true,
    reason: 'database-url',
  };
  return {
    backend,
    target,
    env: { DATABASE_URL: url.toString() },
    open: (config = testConfig()) => openDatabase(target, config.database),
    drop: async () => {
      const dropper = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        await dropper.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

export interface MigratedScratch {
  readonly scratch: ScratchDatabase;
  readonly database: Database;
}

/**
 * A migrated scratch database for the tests of the enclosing describe block, dropped after
 * them: a fresh one per test ('each') or one shared by the block ('all'). Read the fields
 * inside the tests: they are set by the hooks this registers.
 */
export function useMigratedScratchDatabase(backend: Backend, lifetime: 'each' | 'all' = 'each'): MigratedScratch {
  let current: { scratch: ScratchDatabase; database: Database } | undefined;
  const [before, after] = lifetime === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    const scratch = await createScratchDatabase(backend);
    const database = scratch.open();
    current = { scratch, database };
    await database.migrator.up();
  });
  after(async () => {
    if (!current) return;
    const { scratch, database } = current;
    current = undefined;
    await database.close();
    await scratch.drop();
  });
  const opened = () => {
    if (!current) throw new Error('useMigratedScratchDatabase: read the database inside a test, not while declaring it');
    return current;
  };
  return {
    get scratch() {
      return opened().scratch;
    },
    get database() {
      return opened().database;
    },
  };
}
