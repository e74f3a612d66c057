import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export type Backend = 'sqlite' | 'postgres';

/**
 * The database one benchmark runs against: seeded once, snapshotted, and restored before each
 * run that writes, so run 3 measures the same data as run 1 (S3 adds tens of thousands of
 * clients per run, which would slow S1 and S5 in the next one).
 */
export interface BenchDatabase {
  readonly backend: Backend;
  /** What the app, the baseline and `crm` need to reach it (SQLITE_PATH or DATABASE_URL). */
  readonly env: Record<string, string>;
  /** Where it lives, without secrets, for the log. */
  readonly label: string;
  /** Brings the freshly seeded database to the state a live one is in (planner statistics). */
  afterSeed(): Promise<void>;
  snapshot(): Promise<void>;
  restore(): Promise<void>;
  readClientIds(): Promise<string[]>;
  drop(): Promise<void>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createBenchDatabase(backend: Backend): Promise<BenchDatabase> {
  return backend === 'sqlite' ? createSqlite() : createPostgres(process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL);
}

function createSqlite(): BenchDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
  const file = path.join(dir, 'crm.db');
  const pristine = path.join(dir, 'pristine.db');
  const removeDb = () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  };
  return {
    backend: 'sqlite',
    env: { SQLITE_PATH: file },
    label: file,
    // Nothing: SQLite has no background ANALYZE, and the app does not run one; measure it as it ships.
    async afterSeed() {},
    async snapshot() {
      // Fold the WAL into the main file so one copy holds everything.
      const db = new Database(file);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      fs.copyFileSync(file, pristine);
    },
    async restore() {
      removeDb();
      fs.copyFileSync(pristine, file);
    },
    async readClientIds() {
      const db = new Database(file, { readonly: true });
      try {
        return db
          .prepare<[], { id: string }>('SELECT id FROM clients ORDER BY id')
          .all()
          .map((row) => row.id);
      } finally {
        db.close();
      }
    },
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgres(adminUrl: string): Promise<BenchDatabase> {
  const name = `crm_bench_${randomBytes(4).toString('hex')}`;
  const template = `${name}_seed`;
  const urlOf = (database: string) => {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const safeUrl = new URL(urlOf(name));
  safeUrl.password = '';
  return {
    backend: 'postgres',
    env: { DATABASE_URL: urlOf(name) },
    label: safeUrl.toString(),
    async afterSeed() {
      // Autovacuum would analyze the new rows on a live server, but it may be off (it is on the
      // machine these figures come from) or not have run yet: without statistics the planner
      // picks a pg_trgm bitmap scan + sort for a common search term, 100x slower than walking
      // the created_at index. The template copy below carries the statistics.
      const client = new pg.Client({ connectionString: urlOf(name) });
      await client.connect();
      try {
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
    },
    async snapshot() {
      // CREATE DATABASE ... TEMPLATE copies files: far faster than seeding again.
      await admin(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${template} TEMPLATE ${name}`);
    },
    async restore() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // The copy includes pg_statistic, so the planner sees the seeded data's statistics.
      await admin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    },
    async readClientIds() {
      const client = new pg.Client({ connectionString: urlOf(name) });
      await client.connect();
      try {
        return (await client.query<{ id: string }>('SELECT id FROM clients ORDER BY id')).rows.map((row) => row.id);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    },
  };
}
