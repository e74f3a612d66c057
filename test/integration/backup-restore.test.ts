import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { addDemoRows, allRows, fillCrmDatabase } from '../support/copy-fixtures';
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3Server, type TestS3Server } from '../support/s3-server';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const withPostgres = testBackends().includes('postgres') ? describe : describe.skip;

let s3: TestS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3?.close());

/** Runs `crm` with the scratch database and the bucket; every output is checked for the credentials. */
async function crm(scratch: ScratchDatabase, args: string[]): Promise<{ code: number | string; output: string }> {
  // PostgreSQL has no folder of its own: its local backups go to a temporary one.
  const dir: Record<string, string> = scratch.backend === 'postgres' ? { BACKUP_DIR: path.join(s3.directory, 'pg-local') } : {};
  const run = spawnEntry(CRM, args, { ...scratch.env, ...s3.env(), ...dir });
  const code = await run.exited;
  const output = run.output();
  for (const secret of [S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY]) expect(output).not.toContain(secret);
  return { code, output };
}

async function snapshot(scratch: ScratchDatabase, tables: readonly string[]) {
  const database = scratch.open();
  try {
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await allRows(database, table)] as const)));
  } finally {
    await database.close();
  }
}

/**
 * Demo rows, plus (for a file copy only) rows written below the API that an import would refuse,
 * such as a tab in a tag: a SQLite backup must bring back whatever the file held.
 */
async function seed(scratch: ScratchDatabase, more?: string, awkward = true): Promise<void> {
  const database = scratch.open();
  try {
    await database.migrator.up();
    if (more || !awkward) await addDemoRows(database, { clients: 30, exchanges: 60 }, more ?? 'backup-test');
    else await fillCrmDatabase(database, { clients: 30, exchanges: 60 });
  } finally {
    await database.close();
  }
}

describe('crm db backup and crm db restore on SQLite', () => {
  let scratch: ScratchDatabase;
  let file = '';
  beforeAll(async () => {
    scratch = await createScratchDatabase('sqlite');
    file = scratch.target.location;
    await seed(scratch);
  });
  afterAll(() => scratch.drop());

  it('backs up and uploads, then restores exactly that data from the bucket, keeping the replaced file', async () => {
    const tables = ['clients', 'client_tags', 'exchanges', 'idempotency_keys'];
    const before = await snapshot(scratch, tables);
    const backup = await crm(scratch, ['db', 'backup']);
    expect(backup.code).toBe(0);
    const url = /Uploaded: (s3:\/\/\S+)/.exec(backup.output)?.[1] ?? '';
    expect(url).toMatch(/^s3:\/\/crm-backups\/crm\/crm-\d{8}T\d{6}Z\.db$/);

    const doctor = await crm(scratch, ['doctor']);
    expect(doctor.output).toMatch(new RegExp(`Backup: +\\S+Z \\(\\d+s ago\\) at ${url}, ok`));

    const listed = await crm(scratch, ['db', 'backup', '--list']);
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(url);
    expect(listed.output).toContain(path.join(path.dirname(file), 'backups', path.basename(url)));

    await seed(scratch, 'after-the-backup');
    expect(await snapshot(scratch, tables)).not.toEqual(before);
    const refused = await crm(scratch, ['db', 'restore', '--from', url]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refused: .* holds \d+ clients and \d+ exchanges; pass --force/);
    expect(refused.output).toContain('Nothing was replaced.');

    const restored = await crm(scratch, ['db', 'restore', '--from', url, '--force']);
    expect(restored.code).toBe(0);
    expect(await snapshot(scratch, tables)).toEqual(before);
    const kept = /kept in (\S+)\.$/m.exec(restored.output)?.[1] ?? '';
    expect(path.basename(kept)).toMatch(/^crm\.db\.replaced-\d{8}T\d{6}Z$/);
    expect(fs.existsSync(kept)).toBe(true);
    expect(fs.readdirSync(path.dirname(file)).filter((name) => name.startsWith('.restoring'))).toEqual([]);
  });

  it('refuses a file that is not a sound CRM database, and leaves the target alone', async () => {
    const other = path.join(path.dirname(file), 'notes.db');
    const db = new Sqlite(other);
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    const before = fs.readFileSync(file);
    const restore = await crm(scratch, ['db', 'restore', '--from', other, '--force']);
    expect(restore.code).toBe(1);
    expect(restore.output).toMatch(/the backup failed its check: .*not a CRM database: it has no crm_migrations table/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect((await crm(scratch, ['db', 'restore', '--from', path.join(path.dirname(file), 'missing.db')])).code).toBe(2);
  });

  it('refuses, even with --force, while another process holds the database open', async () => {
    const backup = path.join(
      path.dirname(file),
      'backups',
      fs.readdirSync(path.join(path.dirname(file), 'backups')).find((n) => n.endsWith('.db')) ?? '',
    );
    const holder = spawnEntry('test/support/hold-file.ts', [file], {});
    await holder.waitForOutput(/holding/);
    try {
      const restore = await crm(scratch, ['db', 'restore', '--from', backup, '--force']);
      expect(restore.code).toBe(1);
      expect(restore.output).toMatch(/is open in process \d+ \(a running server\?\): stop it first/);
    } finally {
      holder.child.kill('SIGKILL');
    }
  });
});

withPostgres('crm db backup and crm db restore on PostgreSQL (gzip export)', () => {
  let source: ScratchDatabase;
  let target: ScratchDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createScratchDatabase('postgres'), createScratchDatabase('postgres')]);
    await seed(source, undefined, false);
  });
  afterAll(async () => {
    await Promise.all([source?.drop(), target?.drop()]);
  });

  it('exports, uploads, and restores the same rows into another database; a non-empty one only with --force', async () => {
    const tables = ['clients', 'client_tags', 'exchanges'];
    const backup = await crm(source, ['db', 'backup']);
    expect(backup.code).toBe(0);
    expect(backup.output).toMatch(/Backup: .*crm-\d{8}T\d{6}Z\.ndjson\.gz .*read back ok/);
    const url = /Uploaded: (s3:\/\/\S+)/.exec(backup.output)?.[1] ?? '';
    expect(url).toMatch(/\.ndjson\.gz$/);

    expect((await crm(target, ['db', 'restore', '--from', url])).code).toBe(0);
    const expected = await snapshot(source, tables);
    expect(await snapshot(target, tables)).toEqual(expected);

    await seed(target, 'extra-rows');
    const refused = await crm(target, ['db', 'restore', '--from', url]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refused: the target database holds/);
    const forced = await crm(target, ['db', 'restore', '--from', url, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.output).toMatch(/kept in .*replaced-crm-\d{8}T\d{6}Z\.ndjson\.gz/);
    expect(await snapshot(target, tables)).toEqual(expected);
    for (const output of [backup.output, forced.output]) expect(output).not.toContain(new URL(source.env.DATABASE_URL ?? '').password);
  });
});
