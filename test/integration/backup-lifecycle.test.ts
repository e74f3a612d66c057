import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sqliteTools } from '../../src/db/dialects/sqlite-tools';
import { BackupSchedule } from '../../src/backup/backup-schedule';
import { createLogger } from '../../src/logging/create-logger';
import type { BackupReport } from '../../src/services/backup-report';
import { addDemoRows } from '../support/copy-fixtures';
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3Server, type TestS3Server } from '../support/s3-server';
import { spawnServer } from '../support/spawn-app';
import { createScratchDatabase, type ScratchDatabase } from '../support/test-databases';

let s3: TestS3Server;
let scratch: ScratchDatabase;
let dir = '';
beforeAll(async () => {
  s3 = await startS3Server();
  scratch = await createScratchDatabase('sqlite');
  const database = scratch.open();
  await database.migrator.up();
  await addDemoRows(database, { clients: 2000, exchanges: 2000 }, 'lifecycle');
  await database.close();
  dir = path.join(path.dirname(scratch.target.location), 'backups');
});
afterAll(async () => {
  await s3?.close();
  await scratch?.drop();
});

const backupFiles = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith('crm-')) : []);

describe('stopping the schedule while a backup runs', () => {
  function schedule(lines: string[]) {
    const logger = createLogger(
      { env: 'test', log: { level: 'info', format: 'json', lang: 'en' } },
      { write: (l: string) => void lines.push(l) },
    );
    const plan = { intervalMs: 60_000, keep: 3, dir, kind: 'sqlite' as const, s3: null };
    const database = { target: scratch.target, tools: sqliteTools, connect: () => Promise.reject(new Error('no lock on SQLite')) };
    return new BackupSchedule({ plan, database, logger, openExportDatabase: () => scratch.open() });
  }

  it('abandons it when the time is up: no file left, finished or partial, and no failure recorded', async () => {
    const lines: string[] = [];
    const backups = schedule(lines);
    const running = backups.runNow();
    await backups.stop(0);
    await running;
    expect(backupFiles()).toEqual([]);
    expect(lines.join('')).toContain('"msg":"backup abandoned at shutdown; its partial file is removed and the next start takes one"');
    expect(lines.join('')).not.toContain('backup failed');
    expect(backups.report().error).toBeNull();
  });

  it('lets it finish when there is time: one whole, checked copy', async () => {
    const lines: string[] = [];
    const backups = schedule(lines);
    const running = backups.runNow();
    await backups.stop(10_000);
    await running;
    const [name, ...others] = backupFiles().filter((file) => file.endsWith('.db'));
    expect(others).toEqual([]);
    const copy = new Sqlite(path.join(dir, name ?? ''), { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      copy.close();
    }
    expect(backups.report()).toMatchObject({ ok: true, local: path.join(dir, name ?? '') });
  });
});

describe('the server process', () => {
  it('backs up on its schedule, reports it in /health, stops cleanly on SIGTERM', async () => {
    const app = await spawnServer({ ...scratch.env, ...s3.env(), BACKUP_INTERVAL: '1s', BACKUP_KEEP: '2' });
    try {
      await app.waitForOutput(/"msg":"backup made"/);
      const body = (await (await fetch(`${app.baseUrl}/health`)).json()) as { backup: BackupReport };
      expect(body.backup).toMatchObject({ ok: true, intervalSeconds: 1, keep: 2 });
      expect(body.backup.location).toMatch(/^s3:\/\/crm-backups\/crm\//);
    } finally {
      app.child.kill('SIGTERM');
    }
    expect(await app.exited).toBe(0);
    for (const secret of [S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY]) expect(app.output()).not.toContain(secret);
    expect(fs.readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('says "backup failed" without quoting a credential the store refuses', async () => {
    const [keyId, secret] = ['AKIA0NOT0A0REAL0KEY1', 'wrong-secret-that-must-not-leak-0123456789'];
    const env = { ...scratch.env, ...s3.env(), AWS_ACCESS_KEY_ID: keyId, AWS_SECRET_ACCESS_KEY: secret, BACKUP_INTERVAL: '1s' };
    const app = await spawnServer(env);
    try {
      await app.waitForOutput(/"msg":"backup failed"/);
      const health = await (await fetch(`${app.baseUrl}/health`)).text();
      expect(health).toMatch(/"warnings":\[.*"backup failed: upload to s3:\/\/crm-backups\/crm\/: /);
      expect(health).not.toContain(keyId);
      expect(health).not.toContain(secret);
    } finally {
      app.child.kill('SIGTERM');
    }
    await app.exited;
    expect(app.output()).not.toContain(keyId);
    expect(app.output()).not.toContain(secret);
  });

  it('loads no AWS SDK, and prints nothing of it, without a bucket', async () => {
    const app = await spawnServer({ ...scratch.env, BACKUP_INTERVAL: '1s' });
    try {
      await app.waitForOutput(/"msg":"backup made"/);
    } finally {
      app.child.kill('SIGTERM');
    }
    await app.exited;
    expect(app.output()).not.toMatch(/AWS SDK|NodeVersionSupportWarning/);
  });
});
