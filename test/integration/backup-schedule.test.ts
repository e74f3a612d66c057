import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { listLocalBackups } from '../../src/backup/backup-files';
import type { RemoteBackupStore } from '../../src/backup/s3-store';
import type { BackupReport } from '../../src/services/backup-report';
import { createLogger } from '../../src/logging/create-logger';
import { startServer } from '../../src/server';
import { fillCrmDatabase } from '../support/copy-fixtures';
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3Server, type TestS3Server } from '../support/s3-server';
import { createScratchDatabase, testConfig, type ScratchDatabase } from '../support/test-databases';

// A server with a one-second schedule and a real S3-protocol server on loopback: backups land
// on disk and in the bucket, the newest two are kept on both sides, /health and the log say so.
describe('scheduled backups on SQLite, uploaded to an S3-compatible bucket', () => {
  let s3: TestS3Server;
  let scratch: ScratchDatabase;
  let store: RemoteBackupStore;
  let running: Awaited<ReturnType<typeof startServer>>;
  const lines: string[] = [];
  const logText = () => lines.join('');
  let dir = '';
  let clients = 0;

  beforeAll(async () => {
    s3 = await startS3Server();
    store = await s3.openStore();
    scratch = await createScratchDatabase('sqlite');
    const seeded = scratch.open();
    await seeded.migrator.up();
    await fillCrmDatabase(seeded, { clients: 20, exchanges: 40 });
    clients = Number((await seeded.knex('clients').count({ n: '*' }))[0]?.n);
    await seeded.close();
    dir = path.join(path.dirname(scratch.target.location), 'backups');
    const config = testConfig({ ...scratch.env, ...s3.env(), BACKUP_INTERVAL: '1s', BACKUP_KEEP: '2', PORT: '0', HOST: '127.0.0.1' });
    const logger = createLogger(
      { env: 'test', log: { level: 'trace', format: 'json', lang: 'en' } },
      { write: (line: string) => void lines.push(line) },
    );
    running = await startServer({ config, logger });
  });

  afterAll(async () => {
    await running?.close();
    store?.close();
    await s3?.close();
    await scratch?.drop();
  });

  const health = async () => {
    const body = (await (await fetch(`http://127.0.0.1:${running.port}/health`)).json()) as { backup: BackupReport; warnings: string[] };
    // The scratch file is not on a disk: that standing warning is not this test's business.
    return { ...body, warnings: body.warnings.filter((warning: string) => warning.startsWith('backup')) };
  };
  const made = () => lines.filter((line) => line.includes('"msg":"backup made"')).length;

  it('takes backups every interval, on disk and in the bucket, keeping the newest two on each side', async () => {
    await waitFor(() => made() >= 3, 20_000);
    const local = listLocalBackups(dir);
    const remote = await store.list();
    expect(local).toHaveLength(2);
    expect(remote).toHaveLength(2);
    expect(remote.map((copy) => copy.name)).toEqual(expect.arrayContaining([local[0]?.name]));
    // Nothing half-written is ever left looking finished.
    expect(fs.readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
    const copy = new Sqlite(local[0]?.file ?? '', { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM clients').get() as { n: number }).n).toBe(clients);
    } finally {
      copy.close();
    }
  });

  it('reports the last backup in /health: when, how old, where, ok', async () => {
    const body = await health();
    expect(body.backup).toMatchObject({ ok: true, intervalSeconds: 1, keep: 2, error: null, overdue: false });
    expect(body.backup.location).toMatch(new RegExp(`^s3://${s3.bucket}/crm/crm-\\d{8}T\\d{6}Z\\.db$`));
    expect(body.backup.local).toMatch(/backups\/crm-\d{8}T\d{6}Z\.db$/);
    expect(Date.parse(body.backup.lastAt ?? '')).toBeGreaterThan(Date.now() - 5000);
    expect(body.backup.ageSeconds).toBeLessThan(5);
    expect(body.warnings).toEqual([]);
  });

  it('keeps the local copy when the upload fails, says so, and recovers when the store is back', async () => {
    await s3.stop();
    await waitFor(() => lines.some((line) => line.includes('"msg":"backup failed"')), 20_000);
    const failing = await health();
    expect(failing.backup.ok).toBe(false);
    expect(failing.backup.error).toMatch(
      /^backup failed: upload to s3:\/\/crm-backups\/crm\/: .*; the local copy .*crm-\d{8}T\d{6}Z\.db is kept$/,
    );
    expect(failing.backup.location).toBe(failing.backup.local);
    expect(fs.existsSync(failing.backup.local ?? '')).toBe(true);
    expect(failing.warnings).toEqual([failing.backup.error]);

    await s3.restart();
    const before = made();
    await waitFor(() => made() > before, 20_000);
    const recovered = await health();
    expect(recovered.backup).toMatchObject({ ok: true, error: null });
    expect(recovered.backup.location).toMatch(/^s3:\/\//);
    expect(recovered.warnings).toEqual([]);
    expect(await store.list()).toHaveLength(2);
  });

  it('never writes a credential to the log or to /health', async () => {
    const body = JSON.stringify(await health());
    for (const secret of [S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY]) {
      expect(logText()).not.toContain(secret);
      expect(body).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(5);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
